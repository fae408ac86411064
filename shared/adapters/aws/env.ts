/** Reads a setting the CDK app gives the function; a missing one is a deployment bug, so fail loudly. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
