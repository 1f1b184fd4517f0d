import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

type NamedTensor = { name: string; tensor: tf.Tensor };

/**
 * TF.js layers-model files (`model.json` + one weights file) on the local file system, in the format
 * `tf.loadLayersModel` reads over HTTP, without tfjs-node's `file://` handler.
 */
export async function saveLayersModel(model: tf.LayersModel, dir: string, name = 'model'): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsFile = `${name}.weights.bin`;
      const data = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      await writeFile(join(dir, weightsFile), new Uint8Array(data));
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs }],
      };
      await writeFile(join(dir, `${name}.json`), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Bytes of a saved layers model: its `model.json` and the weight files it names. */
export async function layersModelBytes(dir: string, name = 'model'): Promise<number> {
  const json = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const files = [`${name}.json`, ...json.weightsManifest.flatMap((g) => g.paths)];
  const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

export async function loadLayersModel(dir: string, name = 'model'): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
  const weightData = tf.io.CompositeArrayBuffer.join(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}

/** Named tensors (e.g. optimizer state) as one binary file plus its manifest. */
export async function saveNamedTensors(tensors: NamedTensor[], file: string): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await writeFile(`${file}.bin`, new Uint8Array(tf.io.CompositeArrayBuffer.join(data)));
  await writeFile(`${file}.json`, JSON.stringify(specs));
}

export async function loadNamedTensors(file: string): Promise<NamedTensor[]> {
  const specs = JSON.parse(await readFile(`${file}.json`, 'utf8')) as tf.io.WeightsManifestEntry[];
  const bytes = await readFile(`${file}.bin`);
  const map = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, specs);
  return specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
}
