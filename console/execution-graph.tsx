import { graphlib, layout } from '@dagrejs/dagre';
import { useEffect, useRef } from 'preact/hooks';
import type { ExecutionGraph, GraphNode } from '../shared/domain/execution-graph';

const NODE_HEIGHT = 34;
/** Wide enough for the state's name in the console's font (dagre needs sizes before it lays out). */
const nodeWidth = (name: string) => Math.max(90, name.length * 7.4 + 28);

/**
 * The state machine drawn as a graph: dagre lays it out (ranks, fewest crossings), and each state
 * is an SVG group whose class is its run (done, current, waiting, failed, not-run), so the page's
 * CSS colours it and a test can read it. A Map or Parallel state is a node of its own with a
 * dashed edge into its branch: dagre's clusters cannot take edges from the cluster itself, and a
 * Map's way out is exactly such an edge.
 */
export function ExecutionGraphView({ graph }: { graph: ExecutionGraph }) {
  const g = new graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.name, { width: nodeWidth(node.name), height: NODE_HEIGHT });
  graph.edges.forEach((edge, index) => {
    g.setEdge(edge.from, edge.to, {}, String(index));
  });
  layout(g);
  const { width = 0, height = 0 } = g.graph();
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const ran = (name: string) => (byName.get(name)?.run ?? 'not-run') !== 'not-run';
  // Drawn at its natural size (readable), scrolled so the state the order stands in is in view.
  const svg = useRef<SVGSVGElement>(null);
  const focus = graph.nodes.find(
    (n) =>
      n.run === 'waiting' || n.run === 'failed' || (n.run === 'current' && !n.type.match(/Map|Parallel/)),
  )?.name;
  const at = focus ? g.node(focus) : undefined;
  useEffect(() => {
    // The box around the graph scrolls, not the page: ops keep their place while it refreshes.
    const box = svg.current?.parentElement;
    if (!box || !at) return;
    box.scrollLeft = Math.max(0, at.x - box.clientWidth / 2);
    box.scrollTop = Math.max(0, at.y - box.clientHeight / 2);
  }, [at?.x, at?.y]);

  return (
    <svg
      ref={svg}
      class="execution-graph"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label="Workflow execution graph"
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" />
        </marker>
      </defs>
      {graph.edges.map((edge, index) => {
        const points: Array<{ x: number; y: number }> =
          g.edge({ v: edge.from, w: edge.to, name: String(index) })?.points ?? [];
        const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
        const taken = ran(edge.from) && ran(edge.to);
        return (
          <path
            key={`${edge.from}-${edge.to}-${index}`}
            class={`edge ${edge.kind}${taken ? ' taken' : ''}`}
            d={d}
            marker-end="url(#arrow)"
          >
            {edge.label ? <title>{`catches ${edge.label}`}</title> : null}
          </path>
        );
      })}
      {graph.nodes.map((node) => {
        const { x, y, width: w, height: h } = g.node(node.name);
        return (
          <g
            class={`state ${node.run}${node.parent ? ' inner' : ''}`}
            data-state={node.name}
            data-run={node.run}
            key={node.name}
          >
            <title>
              {`${node.name} (${node.type}${node.parent ? ` in ${node.parent}` : ''}): ${RUN_LEGEND[node.run]}${node.entries > 1 ? `, entered ${node.entries} times` : ''}`}
            </title>
            <rect x={x - w / 2} y={y - h / 2} width={w} height={h} rx={node.type === 'Choice' ? 16 : 5} />
            <text x={x} y={y + 4} text-anchor="middle">
              {node.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export const RUN_LEGEND: Record<GraphNode['run'], string> = {
  done: 'done',
  current: 'running',
  waiting: 'waiting on a callback',
  failed: 'failed here',
  'not-run': 'not run',
};
