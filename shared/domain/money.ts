const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** True for an active ISO 4217 code as the runtime's ICU data knows it. */
export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}

/** Digits after the decimal point for a currency (JPY 0, USD 2, BHD 3). */
export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** Largest unit price accepted, in minor units, so every order total stays a safe integer. */
export const MAX_UNIT_PRICE = 10_000_000_000;
