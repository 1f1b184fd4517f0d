import * as tf from '@tensorflow/tfjs';

/**
 * The generator's layers as inference runs them. Windows of a pass that carry the same condition
 * (a composition's variations, compositions of one melody batched together) share the condition
 * path: the layers that read the condition alone (the U-Net's down path) run once per distinct
 * window, and what they make is copied to each window that has it before the layers that read the
 * noise run on the whole batch. Each layer computes every row as it does in the whole model, so the
 * output is the model's to the bit.
 */

/** One layer call of the generator: the tensors it reads and makes, by symbolic tensor id. */
interface LayerCall {
  readonly layer: tf.layers.Layer;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/** The generator's layer calls in an order that has every input made before it is read, split by what they read. */
interface GeneratorGraph {
  readonly condition: readonly LayerCall[];
  readonly rest: readonly LayerCall[];
  readonly conditionInput: number;
  readonly noiseInput: number;
  readonly output: number;
}

const graphs = new WeakMap<tf.LayersModel, GeneratorGraph | null>();

/**
 * The split of a generator with inputs [condition, noise] and one output; null for a graph it cannot
 * take apart (a layer called more than once, several outputs), which then runs whole.
 */
function generatorGraph(generator: tf.LayersModel): GeneratorGraph | null {
  const known = graphs.get(generator);
  if (known !== undefined) return known;
  let graph: GeneratorGraph | null = null;
  const calls: LayerCall[] = [];
  let whole = generator.inputs.length === 2 && generator.outputs.length === 1;
  for (const layer of generator.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    if (layer.inboundNodes.length !== 1) whole = false;
    const node = layer.inboundNodes[0];
    if (!node) continue;
    calls.push({ layer, inputs: node.inputTensors.map((t) => t.id), outputs: node.outputTensors.map((t) => t.id) });
  }
  if (whole) {
    const [conditionInput, noiseInput] = generator.inputs.map((t) => t.id);
    const made = new Set([conditionInput, noiseInput]);
    const fromCondition = new Set([conditionInput]);
    const condition: LayerCall[] = [];
    const rest: LayerCall[] = [];
    // Kahn's order over the calls; a call whose inputs all come from the condition alone is on its path.
    for (let pending = calls; pending.length > 0; ) {
      const ready = pending.filter((c) => c.inputs.every((id) => made.has(id)));
      if (ready.length === 0) break;
      for (const c of ready) {
        const onCondition = c.inputs.every((id) => fromCondition.has(id));
        (onCondition ? condition : rest).push(c);
        for (const id of c.outputs) {
          made.add(id);
          if (onCondition) fromCondition.add(id);
        }
      }
      pending = pending.filter((c) => !ready.includes(c));
    }
    const output = generator.outputs[0].id;
    if (made.has(output) && condition.length + rest.length === calls.length) graph = { condition, rest, conditionInput, noiseInput, output };
  }
  graphs.set(generator, graph);
  return graph;
}

/**
 * The generator's output for the windows of `of`, window w with the condition in row `of[w]` of
 * `distinct` and the noise in row w of `z`. Runs inside the caller's `tf.tidy`; null when the
 * generator's graph cannot be split (the caller then runs it whole).
 */
export function applySharingConditions(generator: tf.LayersModel, distinct: tf.Tensor, of: Int32Array, z: tf.Tensor): tf.Tensor | null {
  const graph = generatorGraph(generator);
  if (!graph) return null;
  const values = new Map<number, tf.Tensor>([[graph.conditionInput, distinct]]);
  // As LayersModel.apply calls each layer: its inputs as a list, in inference mode.
  const run = (c: LayerCall, input: (id: number) => tf.Tensor) => {
    const out = c.layer.apply(c.inputs.map(input), { training: false }) as tf.Tensor | tf.Tensor[];
    (Array.isArray(out) ? out : [out]).forEach((t, i) => values.set(c.outputs[i], t));
  };
  for (const c of graph.condition) run(c, (id) => values.get(id)!);
  const rows = tf.tensor1d(of, 'int32');
  const spread = new Map<number, tf.Tensor>();
  const onCondition = new Set(values.keys());
  const input = (id: number) => {
    if (!onCondition.has(id)) return values.get(id)!;
    let t = spread.get(id);
    if (!t) spread.set(id, (t = tf.gather(values.get(id)!, rows)));
    return t;
  };
  values.set(graph.noiseInput, z);
  for (const c of graph.rest) run(c, input);
  return values.get(graph.output)!;
}
