/** Every SCF item's barcode is its home item's barcode with this suffix (seed 001 §11). */
export const SCF_BARCODE_SUFFIX = "X";

/** The home barcode of an SCF barcode, or `undefined` when it is not one (no trailing `X`: not ours). */
export function originalBarcodeOf(scfBarcode: string): string | undefined {
  const barcode = scfBarcode.trim();
  if (barcode.length <= SCF_BARCODE_SUFFIX.length || !barcode.endsWith(SCF_BARCODE_SUFFIX)) return undefined;
  return barcode.slice(0, -SCF_BARCODE_SUFFIX.length);
}
