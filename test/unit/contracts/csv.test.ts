import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../../shared/contracts/csv';

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

  it('write what they read: quoting commas, quotes and line breaks, numbers as they are, empty cells for what is missing', () => {
    const csv = toCsv(
      ['name', 'note', 'n'],
      [{ name: 'Mug, large', note: 'said "hi"\nthen left', n: 3 }, { name: 'Cap' }],
    );
    expect(csv).toBe('name,note,n\r\n"Mug, large","said ""hi""\nthen left",3\r\nCap,,\r\n');
    expect(parseCsv(csv)).toEqual([
      { name: 'Mug, large', note: 'said "hi"\nthen left', n: '3' },
      { name: 'Cap' },
    ]);
  });

  it('never let a spreadsheet run a cell as a formula (CSV injection)', () => {
    expect(toCsv(['a', 'b', 'c'], [{ a: '=HYPERLINK("x")', b: '+1', c: -5 }])).toBe(
      'a,b,c\r\n"\'=HYPERLINK(""x"")",\'+1,-5\r\n',
    );
  });
});
