/**
 * The strongly connected components of a directed graph that hold a cycle: every component of two
 * or more nodes, and every single node with an edge to itself.
 *
 * Tarjan's algorithm in O(nodes + edges), written with an explicit stack rather than recursion so
 * a 10,000-plugin dependency chain cannot overflow the call stack.
 *
 * @param successors `successors[i]` lists the nodes that node `i` has an edge to.
 * @returns each component's nodes in ascending order; components ordered by their smallest node.
 */
export function findCyclicComponents(successors: readonly (readonly number[])[]): number[][] {
  const count = successors.length;
  // Typed arrays index as `number | undefined` under noUncheckedIndexedAccess; every index below is
  // in range by construction, hence the `as number` casts.
  const order = new Int32Array(count).fill(-1);
  const lowLink = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const frames: number[] = [];
  const framePositions: number[] = [];
  const components: number[][] = [];
  let visited = 0;

  const enter = (node: number): void => {
    order[node] = visited;
    lowLink[node] = visited;
    visited += 1;
    stack.push(node);
    onStack[node] = 1;
    frames.push(node);
    framePositions.push(0);
  };

  for (let root = 0; root < count; root++) {
    if (order[root] !== -1) continue;
    enter(root);
    while (frames.length > 0) {
      const top = frames.length - 1;
      const node = frames[top] as number;
      const edges = successors[node] as readonly number[];
      const position = framePositions[top] as number;
      if (position < edges.length) {
        framePositions[top] = position + 1;
        const next = edges[position] as number;
        if (order[next] === -1) enter(next);
        else if (onStack[next] === 1)
          lowLink[node] = Math.min(lowLink[node] as number, order[next] as number);
        continue;
      }
      frames.pop();
      framePositions.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined)
        lowLink[parent] = Math.min(lowLink[parent] as number, lowLink[node] as number);
      if (lowLink[node] !== order[node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop() as number;
        onStack[member] = 0;
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || edges.includes(node)) components.push(component.sort((a, b) => a - b));
    }
  }
  return components.sort((a, b) => (a[0] as number) - (b[0] as number));
}
