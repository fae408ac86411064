import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../../shared/contracts/csv';
import { ordersFromCsv } from '../../../shared/contracts/order-import';

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

describe('the order import CSV', () => {
  const header =
    'externalOrderId,channel,customerEmail,customerName,shipName,shipLine1,shipCity,shipPostalCode,shipCountry,currency,paymentMethod,paymentTerms,sku,quantity,unitPrice';
  it('groups the lines of one order by its external id, taking the order from its first row', () => {
    const csv = `${header}\nX-1,b2b,a@x.com,A,A,Rua 1,SP,01000-000,BR,BRL,invoice,NET30,SKU-1,2,1000\nX-1,b2b,,,,,,,,,,,SKU-2,1,500\nX-2,web,b@x.com,B,B,Rua 2,RJ,20000-000,BR,BRL,pix,,SKU-1,1,1000\n`;
    const orders = ordersFromCsv(csv);
    expect(orders).toHaveLength(2);
    expect(orders[0]).toMatchObject({
      externalOrderId: 'X-1',
      channel: 'b2b',
      customer: { email: 'a@x.com', name: 'A' },
      shippingAddress: { line1: 'Rua 1', country: 'BR' },
      payment: { method: 'invoice', terms: 'NET30' },
      lines: [
        { sku: 'SKU-1', quantity: 2, unitPrice: 1000 },
        { sku: 'SKU-2', quantity: 1, unitPrice: 500 },
      ],
    });
    expect(orders[1]).toMatchObject({ externalOrderId: 'X-2', payment: { method: 'pix' } });
    expect(orders[1]?.payment).not.toHaveProperty('terms');
  });

  it('leaves a bad cell for the OMS to judge (a quantity that is not a number stays text)', () => {
    const [order] = ordersFromCsv(`${header}\nX-3,web,c@x.com,C,C,R,SP,1,BR,BRL,pix,,SKU-1,two,1000\n`);
    expect(order?.lines).toEqual([{ sku: 'SKU-1', quantity: 'two', unitPrice: 1000 }]);
  });
});
