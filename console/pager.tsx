/**
 * Previous / next over cursor pages: `cursors` is the stack of cursors that led to the page shown
 * (empty on the first), `nextCursor` the API's cursor to the page after it.
 */
export function Pager({
  cursors,
  setCursors,
  nextCursor,
}: {
  cursors: string[];
  setCursors: (cursors: string[]) => void;
  nextCursor: string | undefined;
}) {
  return (
    <nav class="paging">
      <button
        type="button"
        class="secondary"
        disabled={cursors.length === 0}
        onClick={() => setCursors(cursors.slice(0, -1))}
      >
        Previous
      </button>
      <button
        type="button"
        class="secondary"
        disabled={!nextCursor}
        onClick={() => nextCursor && setCursors([...cursors, nextCursor])}
      >
        Next
      </button>
    </nav>
  );
}
