import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../shared/contracts/csv';

describe('CSV parsing', () => {
  it('reads records by header, leaving blank cells out', () => {
    expect(parseCsv('sku,locationId,onHand,safetyStock\nA,sp-1,10,\nB,sp-1,3,1\n')).toEqual([
      { sku: 'A', locationId: 'sp-1', onHand: '10' },
      { sku: 'B', locationId: 'sp-1', onHand: '3', safetyStock: '1' },
    ]);
  });

  it('handles quoted fields with commas, doubled quotes and line breaks, CRLF, and blank lines', () => {
    expect(parseCsv('name,note\r\n"Mug, large","said ""hi""\nthen left"\r\n\r\nCap,ok')).toEqual([
      { name: 'Mug, large', note: 'said "hi"\nthen left' },
      { name: 'Cap', note: 'ok' },
    ]);
  });
});
