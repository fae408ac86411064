import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contracts/business-metrics';

/**
 * Business metrics as CloudWatch embedded metric format on stdout (Powertools Metrics): no API
 * call, CloudWatch Logs turns each line into metrics; the local cloud just prints them.
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
