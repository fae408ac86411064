/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into records keyed by the
 * header row. Empty cells are left out, so optional columns can stay blank.
 */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header = [], ...body] = rows.filter((r) => r.some((cell) => cell.trim() !== ''));
  const names = header.map((h) => h.trim());
  return body.map((cells) =>
    Object.fromEntries(
      names.flatMap((name, i) => {
        const value = (cells[i] ?? '').trim();
        return value === '' ? [] : [[name, value]];
      }),
    ),
  );
}

/**
 * Writes RFC 4180 CSV: a header row, then one row per record, quoted where a cell needs it. A
 * text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with a
 * quote (OWASP's CSV injection advice); numbers are written as they are.
 */
export function toCsv(columns: readonly string[], records: ReadonlyArray<Record<string, unknown>>): string {
  const cell = (value: unknown): string => {
    if (value === undefined || value === null) return '';
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[columns, ...records.map((r) => columns.map((c) => r[c]))]
    .map((row) => row.map(cell).join(','))
    .join('\r\n')}\r\n`;
}
