import * as tf from '@tensorflow/tfjs';
import { phasedConv, phasedFilter, type PhasedFilter } from './upsampled-conv.js';

/**
 * The generator's layers as inference runs them.
 *
 * - Windows of a pass that carry the same condition (a composition's variations, compositions of one
 *   melody batched together) share the condition path: the layers that read the condition alone (the
 *   U-Net's down path) run once per distinct window, and what they make is copied to each window that
 *   has it before the layers that read the noise run on the whole batch. Each row is computed as it
 *   is without sharing, to the bit.
 * - Each 2× up-sampling and the 'same' convolution that reads it run as one sub-pixel convolution of
 *   the low-resolution input (upsampled-conv.ts; 9/16 of the arithmetic, and no 4× larger tensor),
 *   as training runs them. That is the layers' function with the sums taken in another order, so an
 *   output cell can differ from `generator.apply`'s in its last float bits.
 */

/** One layer call of the generator: the tensors it reads and makes, by symbolic tensor id. */
interface LayerCall {
  readonly layer: tf.layers.Layer;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** A convolution that absorbed the up-sampling before it: it reads that up-sampling's input. */
  readonly upsampled?: { readonly activation: (x: tf.Tensor4D) => tf.Tensor4D };
}

/** The generator's layer calls in an order that has every input made before it is read, split by what they read. */
interface GeneratorGraph {
  readonly condition: readonly LayerCall[];
  readonly rest: readonly LayerCall[];
  readonly conditionInput: number;
  readonly noiseInput: number;
  readonly output: number;
  /** The phase filters of the fused convolutions, made from their kernels' current values. */
  readonly filters: Map<tf.layers.Layer, { readonly kernel: object; readonly bias: object | undefined; readonly f: PhasedFilter }>;
}

const graphs = new WeakMap<tf.LayersModel, GeneratorGraph | null>();

const ACTIVATIONS: Record<string, (x: tf.Tensor4D) => tf.Tensor4D> = { linear: (x) => x, tanh: (x) => tf.tanh(x), relu: (x) => tf.relu(x) };

const pair = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : [Number(v), Number(v)]);

/** The activation of a convolution that a sub-pixel convolution can stand in for after a 2× up-sampling; undefined otherwise. */
function fusableConv(layer: tf.layers.Layer): ((x: tf.Tensor4D) => tf.Tensor4D) | undefined {
  if (layer.getClassName() !== 'Conv2D') return undefined;
  const c = layer.getConfig() as { kernelSize?: unknown; strides?: unknown; padding?: unknown; dilationRate?: unknown; dataFormat?: unknown; activation?: unknown; useBias?: unknown };
  const [kh, kw] = pair(c.kernelSize);
  const plain = kh === kw && pair(c.strides).every((s) => s === 1) && pair(c.dilationRate ?? 1).every((d) => d === 1);
  if (!plain || c.padding !== 'same' || (c.dataFormat ?? 'channelsLast') !== 'channelsLast') return undefined;
  return ACTIVATIONS[String(c.activation ?? 'linear')];
}

function isDoubling(layer: tf.layers.Layer): boolean {
  if (layer.getClassName() !== 'UpSampling2D') return false;
  const c = layer.getConfig() as { size?: unknown; interpolation?: unknown; dataFormat?: unknown };
  return pair(c.size).every((s) => s === 2) && (c.interpolation ?? 'nearest') === 'nearest' && (c.dataFormat ?? 'channelsLast') === 'channelsLast';
}

/** Each up-sampling read by one fusable convolution alone becomes part of it. */
function fused(calls: readonly LayerCall[], output: number): LayerCall[] {
  const readers = new Map<number, number>();
  for (const c of calls) for (const id of c.inputs) readers.set(id, (readers.get(id) ?? 0) + 1);
  const byOutput = new Map(calls.map((c) => [c.outputs[0], c]));
  const absorbed = new Set<LayerCall>();
  const out = calls.map((c) => {
    const activation = fusableConv(c.layer);
    const before = c.inputs.length === 1 ? byOutput.get(c.inputs[0]) : undefined;
    if (!activation || !before || !isDoubling(before.layer) || readers.get(c.inputs[0]) !== 1 || c.inputs[0] === output) return c;
    absorbed.add(before);
    return { ...c, inputs: before.inputs, upsampled: { activation } };
  });
  return out.filter((c) => !absorbed.has(c));
}

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
    const output = generator.outputs[0].id;
    const made = new Set([conditionInput, noiseInput]);
    const fromCondition = new Set([conditionInput]);
    const condition: LayerCall[] = [];
    const rest: LayerCall[] = [];
    const all = fused(calls, output);
    // Kahn's order over the calls; a call whose inputs all come from the condition alone is on its path.
    for (let pending = all; pending.length > 0; ) {
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
    if (made.has(output) && condition.length + rest.length === all.length) graph = { condition, rest, conditionInput, noiseInput, output, filters: new Map() };
  }
  graphs.set(generator, graph);
  return graph;
}

/** The phase filter of a fused convolution, made again only when its weights were written since (a model in training). */
function filterOf(graph: GeneratorGraph, layer: tf.layers.Layer): PhasedFilter {
  const [kernel, bias] = layer.weights.map((w) => w.read());
  const id = (t: tf.Tensor | undefined) => (t as { dataId?: object } | undefined)?.dataId;
  const cached = graph.filters.get(layer);
  if (cached && cached.kernel === id(kernel) && cached.bias === id(bias)) return cached.f;
  if (cached) release(cached.f);
  const f = phasedFilter(kernel as tf.Tensor4D, bias as tf.Tensor1D | undefined);
  tf.keep(f.filter);
  if (f.bias) tf.keep(f.bias);
  graph.filters.set(layer, { kernel: id(kernel)!, bias: id(bias), f });
  return f;
}

function release(f: PhasedFilter): void {
  f.filter.dispose();
  f.bias?.dispose();
}

/**
 * The generator's output for the windows of `of`, window w with the condition in row `of[w]` of
 * `distinct` and the noise in row w of `z` (`of` null: row w of `distinct` is window w's). Runs inside
 * the caller's `tf.tidy`; null when the generator's graph cannot be split (the caller then runs it whole).
 */
export function applyGenerator(generator: tf.LayersModel, distinct: tf.Tensor, of: Int32Array | null, z: tf.Tensor): tf.Tensor | null {
  const graph = generatorGraph(generator);
  if (!graph) return null;
  const values = new Map<number, tf.Tensor>([[graph.conditionInput, distinct]]);
  // As LayersModel.apply calls each layer: its inputs as a list, in inference mode.
  const run = (c: LayerCall, input: (id: number) => tf.Tensor) => {
    if (c.upsampled) {
      values.set(c.outputs[0], c.upsampled.activation(phasedConv(input(c.inputs[0]) as tf.Tensor4D, filterOf(graph, c.layer))));
      return;
    }
    const out = c.layer.apply(c.inputs.map(input), { training: false }) as tf.Tensor | tf.Tensor[];
    (Array.isArray(out) ? out : [out]).forEach((t, i) => values.set(c.outputs[i], t));
  };
  for (const c of graph.condition) run(c, (id) => values.get(id)!);
  const rows = of ? tf.tensor1d(of, 'int32') : null;
  const spread = new Map<number, tf.Tensor>();
  const onCondition = new Set(values.keys());
  const input = (id: number) => {
    if (!rows || !onCondition.has(id)) return values.get(id)!;
    let t = spread.get(id);
    if (!t) spread.set(id, (t = tf.gather(values.get(id)!, rows)));
    return t;
  };
  values.set(graph.noiseInput, z);
  for (const c of graph.rest) run(c, input);
  return values.get(graph.output)!;
}

/** Disposes a generator and the phase filters inference made for it. */
export function disposeGenerator(generator: tf.LayersModel): void {
  const graph = graphs.get(generator);
  if (graph) for (const { f } of graph.filters.values()) release(f);
  graphs.delete(generator);
  generator.dispose();
}
