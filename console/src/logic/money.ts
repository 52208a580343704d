// Amounts are integer minor units (cents, pence) in the API; shown in the reader's language
// with as many decimals as the currency has.

/**
 * formatMoney shows minor units of a currency in a language's conventions ("$49.00",
 * "49,00 US$"), converting through a decimal string, never through floating point. An
 * unknown currency code shows the amount as a plain number beside the code.
 */
export function formatMoney(minor: number, currency: string, lang: string): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(lang, { style: 'currency', currency });
  } catch {
    return `${minorToDecimal(minor, 2)} ${currency}`.trim();
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  // Intl formats a decimal string exactly (ES2023); the types still say number.
  return (format.format as unknown as (value: string) => string)(minorToDecimal(minor, digits));
}

/** minorToDecimal writes integer minor units as a decimal string: (-1999, 2) is "-19.99". */
export function minorToDecimal(minor: number, digits: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(Math.trunc(minor)));
  if (digits <= 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
