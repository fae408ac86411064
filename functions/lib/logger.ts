import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per function; level and service name come from POWERTOOLS_* settings. */
export const logger = new Logger();
