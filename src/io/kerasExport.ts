// Graph document → a complete, runnable Keras 3 Python script: the book's ch. 3 program (build_generator,
// build_discriminator, build_gan, MNIST loading, the training loop, sample grids and the two plots), generated from
// whatever G and D the learner wired. The one deliberate departure from the book is how the stages are isolated; the
// comment emitted above make_train_steps explains why the book's `trainable = False` recipe fails on Keras 3.
import { engineMessage } from '../i18n/messages';
import { nodeDef } from '../nodes/registry';
import { combinerBatchNorm } from '../nodes/freezingCombiner';
import { dims, num, pyTuple, str } from '../nodes/types';
import { analyzeGraph, type GanStructure } from '../graph/analyze';
import type { GraphDocument, SocketRef } from '../graph/document';

export interface KerasExportOptions {
  /** Defaults of the script's command-line arguments; each falls back to the document's training block. */
  iterations?: number;
  batchSize?: number;
  sampleInterval?: number;
  seed?: number;
}

export class KerasExportError extends Error {
  override name = 'KerasExportError';
}

export { pyFloat, pyTuple } from '../nodes/types';

/** Text safe inside a `#` comment or docstring line: no line breaks, control characters, quotes runs or backslashes. */
const commentText = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029\\]/g, ' ').replace(/"""/g, '"').trim();

/** Where each dataset's training images come from in Keras. */
const DATASETS: Record<string, { loader: string; shape: number[] }> = {
  mnist: { loader: 'keras.datasets.mnist.load_data()', shape: [28, 28, 1] },
};

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);
/** Names the generated functions use themselves: a node id equal to one gets a trailing underscore. */
const SCRIPT_NAMES = new Set(['keras', 'layers', 'tf', 'np', 'os', 'sys', 'model', 'generator', 'discriminator', 'gan', 'z']);

/** Python variable names for node ids: valid identifiers, no keyword or name the script uses, no two alike. */
function pythonNames(ids: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    let base = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(base)) base = `n_${base}`;
    if (PYTHON_KEYWORDS.has(base) || SCRIPT_NAMES.has(base)) base = `${base}_`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    names.set(id, name);
  }
  return names;
}

/** A node's own Keras line, with the node named in any failure. */
function kerasOf(doc: GraphDocument, id: string): string {
  const node = doc.nodes.find((n) => n.id === id)!;
  const def = nodeDef(node.type);
  if (!def?.keras) throw new KerasExportError(`node "${id}" is a ${node.type}, which has no Keras counterpart`);
  try {
    return def.keras(node.params, { name: id });
  } catch (e) {
    throw new KerasExportError(`node "${id}": ${(e as Error).message}`);
  }
}

/**
 * The body of a build_* function in Keras's functional API: one Input per input node, then every layer applied to
 * its inputs' variables by socket, in topological order (`keras.Model(inputs, output)` at the end).
 */
function functionalBody(doc: GraphDocument, model: string, inputIds: string[], layerIds: string[], output: SocketRef): string {
  const names = pythonNames([...inputIds, ...layerIds]);
  const incoming = new Map(doc.edges.map((e) => [`${e.to.node}:${e.to.socket}`, e.from]));
  const lines: string[] = [];
  for (const id of inputIds) lines.push(`    ${names.get(id)} = ${kerasOf(doc, id)}`);
  for (const id of layerIds) {
    const node = doc.nodes.find((n) => n.id === id)!;
    const def = nodeDef(node.type)!;
    // Every node has one output today, so a node's variable is its output; merge layers take their inputs as a list.
    const args = def.inputs.map((s) => names.get(incoming.get(`${id}:${s.key}`)!.node)!);
    lines.push(`    ${names.get(id)} = ${kerasOf(doc, id)}(${args.length === 1 ? args[0] : `[${args.join(', ')}]`})`);
  }
  const ins = inputIds.map((id) => names.get(id)!);
  lines.push(`    return keras.Model(${ins.length === 1 ? ins[0] : `[${ins.join(', ')}]`}, ${names.get(output.node)}, name="${model}")`);
  return lines.join('\n');
}

/** `z → a → b` for a chain; for a graph with branches, its nodes in evaluation order. */
function describeNetwork(doc: GraphDocument, inputs: string[], layers: string[]): string {
  const chain = inputs.length === 1 && layers.every((id, i) => {
    const def = nodeDef(doc.nodes.find((n) => n.id === id)!.type)!;
    const from = doc.edges.find((e) => e.to.node === id)?.from.node;
    return def.inputs.length === 1 && from === (i === 0 ? inputs[0] : layers[i - 1]);
  });
  return chain ? [...inputs, ...layers].join(' → ') : `${[...inputs, ...layers].join(', ')} (a graph with branches; in evaluation order)`;
}

const positive = (name: string, v: number | undefined, fallback: number): number => {
  const x = v ?? fallback;
  if (!Number.isInteger(x) || x < 1) throw new KerasExportError(`${name} must be a positive whole number, not ${x}`);
  return x;
};

/**
 * The Keras 3 script for `doc`. Throws a KerasExportError naming every problem when the graph is not a complete,
 * valid GAN, or uses a node type the exporter does not know.
 */
export function exportKeras(doc: GraphDocument, options: KerasExportOptions = {}): string {
  const analysis = analyzeGraph(doc);
  if (!analysis.ok || !analysis.gan) {
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    const lines = errors.map((d) => `  - ${d.node ? `${d.node}: ` : ''}${engineMessage(d.code, d.args)}`);
    throw new KerasExportError(`cannot export an invalid graph:\n${lines.join('\n') || '  - the graph does not form a GAN'}`);
  }
  const s: GanStructure = analysis.gan;
  const node = (id: string) => doc.nodes.find((n) => n.id === id)!;
  const image = node(s.image);
  const dataset = DATASETS[str(image.params, 'dataset')];
  if (!dataset) throw new KerasExportError(`the Keras exporter cannot load the "${str(image.params, 'dataset')}" dataset`);
  const imgShape = dims(image.params, 'shape');
  if (imgShape.join('x') !== dataset.shape.join('x')) throw new KerasExportError(`the image input's shape ${imgShape.join('×')} does not match the dataset's ${dataset.shape.join('×')}`);
  for (const [which, count] of Object.entries(analysis.totals)) {
    // An optimizer with nothing to train is almost certainly a wiring mistake, and Keras refuses it too.
    if (count === 0) throw new KerasExportError(`the ${which} has no trainable weights: add a Dense layer`);
  }
  const noise = s.generatorInputs.find((id) => node(id).type === 'NoiseInput')!;
  const zDim = num(node(noise).params, 'size');
  const gBody = functionalBody(doc, 'generator', s.generatorInputs, s.generator, { node: s.generatorOutput, socket: s.generatorOutputSocket });
  const dBody = functionalBody(doc, 'discriminator', s.discriminatorInputs, s.discriminator, { node: s.discriminatorOutput, socket: s.discriminatorOutputSocket });
  const dOptimizer = kerasOf(doc, s.dLoss);
  const gOptimizer = kerasOf(doc, s.gLoss);
  const training = {
    iterations: positive('iterations', options.iterations, doc.training.iterations),
    batchSize: positive('batchSize', options.batchSize, doc.training.batchSize),
    sampleInterval: positive('sampleInterval', options.sampleInterval, doc.training.sampleInterval),
    seed: options.seed ?? doc.training.seed,
  };
  if (!Number.isInteger(training.seed) || training.seed < 0) throw new KerasExportError(`seed must be a whole number ≥ 0, not ${training.seed}`);
  const name = commentText(doc.name) || 'Untitled GAN';
  const gChain = describeNetwork(doc, s.generatorInputs, s.generator);
  const dChain = describeNetwork(doc, s.discriminatorInputs, s.discriminator);

  // A conditional GAN (chapter 8): G reads (z, label), D (image, label); the combined model routes G's label into D.
  const cond = s.generatorLabel !== undefined && s.discriminatorLabel !== undefined;
  const classes = cond ? num(node(s.generatorLabel!).params, 'classes') : 0;
  const gCall = (z: string, label: string) => (cond ? `[${s.generatorInputs.map((id) => (id === s.generatorLabel ? label : z)).join(', ')}]` : z);
  const dCall = (images: string, label: string) => (cond ? `[${s.discriminatorInputs.map((id) => (id === s.discriminatorLabel ? label : images)).join(', ')}]` : images);
  const { frozenBatchNorm, fakesBatchNorm } = combinerBatchNorm(node(s.combiner).params);
  const frozenBatchNormComment =
    frozenBatchNorm === 'batch'
      ? "This graph's combiner asks for the common alternative: the frozen D\n    # normalizes with the fake batch's own statistics (a training call), and its moving averages are put back after."
      : '(training=False also turns off dropout in D, which Keras 3\n    # would keep on; D\'s moving statistics are put back after the step in any case.)';
  // D's fakes: generator.predict's inference mode (the book), or the combiner's alternative, a training call on the
  // fake batch's own statistics whose moving-average updates are put back, so D's stage leaves G as it was.
  const makeFakes = (call: string) =>
    fakesBatchNorm === 'batch'
      ? `# This graph's combiner makes D's fakes on the fake batch's own statistics (a training call);
        # G's moving averages are put back after, so nothing of G changes in D's stage.
        g_moving = [tf.identity(v) for v in generator.non_trainable_weights]
        gen_imgs = generator(${call}, training=True)
        for v, s in zip(generator.non_trainable_weights, g_moving):
            v.assign(s)`
      : `gen_imgs = generator(${call}, training=False)`;
  const script = `#!/usr/bin/env python3
"""${name}: a GAN exported from Ganvas as a Keras 3 script.

${
    cond
      ? `The program of "GANs in Action", chapter 8 (a conditional GAN: both networks read each image's class label), for
this graph:
  G: ${gChain}
  D: ${dChain}
Each network trains with its own Adam optimizer and binary cross-entropy; one iteration trains D on a batch of
real images with their labels (target 1) and on fakes generated for those same labels (target 0), then G on fresh z
and uniformly random labels through the frozen D (target 1).`
      : `The program of "GANs in Action", chapter 3, for this graph:
  G: ${gChain}
  D: ${dChain}
Each network trains with its own Adam optimizer and binary cross-entropy; one iteration trains D on a batch of
real images (label 1) and a batch of fakes (label 0), then G through the frozen D (label 1).`
  }

Needs Keras 3 with the TensorFlow backend, NumPy and Matplotlib:
    pip install keras tensorflow matplotlib
Run:
    python3 gan.py                          # ${training.iterations} iterations${training.iterations === 20000 ? ', as in the book' : ''}
    python3 gan.py --iterations 2 --check-isolation
Grids (samples_<iteration>.png) and the two plots are written to --out.
"""
import argparse
import gzip
import os
import struct
import sys

# The training steps below take gradients with tf.GradientTape, so Keras must use its TensorFlow backend.
os.environ["KERAS_BACKEND"] = "tensorflow"

import numpy as np
import tensorflow as tf
import keras
from keras import layers

import matplotlib

matplotlib.use("Agg")  # headless: every figure is saved to a PNG file
import matplotlib.pyplot as plt

if int(keras.__version__.split(".")[0]) < 3:
    sys.exit("This script needs Keras 3 (found Keras %s)." % keras.__version__)

Z_DIM = ${zDim}
${cond ? `NUM_CLASSES = ${classes}\n` : ''}IMG_SHAPE = ${pyTuple(imgShape)}
# Trainable parameters Ganvas counted for this graph; the script checks Keras agrees.
GANVAS_PARAMS = {"generator": ${analysis.totals.generator + analysis.nonTrainableTotals.generator}, "discriminator": ${analysis.totals.discriminator + analysis.nonTrainableTotals.discriminator}}


# The networks in Keras's functional API: each layer is applied to the layers that feed it, so branches and joins
# read as they are wired in Ganvas. Layer names are the Ganvas node ids.
def build_generator():
${gBody}


def build_discriminator():
${dBody}


def build_gan(generator, discriminator):
${
    cond
      ? `    # (z, label) -> G -> D, G's fakes entering D where real images do and the same label routed into D (chapter 8).
    # The book compiles this model with D frozen; here it is only the forward path of the G step.
    z = keras.Input(shape=(Z_DIM,))
    label = keras.Input(shape=(1,), dtype="int32")
    return keras.Model([z, label], discriminator(${dCall(`generator(${gCall('z', 'label')})`, 'label')}), name="gan")`
      : `    # z -> G -> D, G's fakes entering D where real images do. The book compiles this model with D frozen; here it is
    # only the forward path of the G step.
    z = keras.Input(shape=(Z_DIM,))
    return keras.Model(z, discriminator(generator(z)), name="gan")`
  }


# Stage isolation on Keras 3
# --------------------------
# The book compiles D, sets \`discriminator.trainable = False\`, then compiles the combined model, so that
# gan.train_on_batch updates only G while discriminator.train_on_batch still updates D. That relied on Keras 2
# fixing each model's trainable weights when it was compiled. Keras 3 reads \`trainable\` when a model's train
# function is first built, at its first train_on_batch, so with the flag left False D's own steps update nothing:
# D stays frozen for the whole run (its accuracy stays near a few percent) and G never learns digits.
#
# So each stage here is an explicit training step. The D step takes gradients of D's loss with respect to
# discriminator.trainable_weights only and applies them with D's Adam; the G step takes gradients of the combined
# model's loss with respect to generator.trainable_weights only and applies them with G's Adam. Each optimizer is
# built on its own network's variables and never sees the other's, so neither stage can move the other network,
# whatever any \`trainable\` flag says. --check-isolation proves it by comparing get_weights() before and after
# each stage.


def batch_accuracy(labels, predictions):
    # Keras's binary accuracy: a prediction counts as "real" above 0.5.
    return tf.reduce_mean(tf.cast(tf.equal(labels, tf.cast(predictions > 0.5, labels.dtype)), tf.float32))


def make_train_steps(generator, discriminator, gan, d_optimizer, g_optimizer):
    bce = keras.losses.BinaryCrossentropy()
    d_vars = discriminator.trainable_weights
    g_vars = generator.trainable_weights
    # Built eagerly, on exactly these variables, before any step is traced.
    d_optimizer.build(d_vars)
    g_optimizer.build(g_vars)

    @tf.function
    def d_step(images, ${cond ? 'class_labels, ' : ''}labels):
        with tf.GradientTape() as tape:
            predictions = discriminator(${dCall('images', 'class_labels')}, training=True)
            loss = bce(labels, predictions)
        d_optimizer.apply(tape.gradient(loss, d_vars), d_vars)
        return loss, batch_accuracy(labels, predictions)

    # Batch norm in the G step as the book's loop runs on Keras 3: G trains (batch statistics, its moving averages
    # updated); the frozen D's BatchNormalization runs in inference mode, as Keras 3 runs a frozen one, and none of D's
    # moving statistics change. ${frozenBatchNormComment}
    d_moving = discriminator.non_trainable_weights

    @tf.function
    def g_step(z, ${cond ? 'class_labels, ' : ''}labels):
        saved = [tf.identity(v) for v in d_moving]
        with tf.GradientTape() as tape:
            loss = bce(labels, discriminator(${dCall(`generator(${gCall('z', 'class_labels')}, training=True)`, 'class_labels')}, training=${frozenBatchNorm === 'batch' ? 'True' : 'False'}))
        g_optimizer.apply(tape.gradient(loss, g_vars), g_vars)
        for v, s in zip(d_moving, saved):
            v.assign(s)
        return loss

    return d_step, g_step


def check_stage(stage, trained, frozen, trained_before, frozen_before):
    """Raises unless \`stage\` changed every weight array of \`trained\` and none of \`frozen\`."""
    moved = [not np.array_equal(b, a) for b, a in zip(trained_before, trained.get_weights())]
    leaked = [not np.array_equal(b, a) for b, a in zip(frozen_before, frozen.get_weights())]
    if not all(moved):
        raise RuntimeError("isolation check failed: %s left %s's weights unchanged: %s" % (stage, trained.name, moved))
    if any(leaked):
        raise RuntimeError("isolation check failed: %s changed %s's weights: %s" % (stage, frozen.name, leaked))
    print("  %s: %d weight arrays of %s changed, %s unchanged" % (stage, len(moved), trained.name, frozen.name))


def load_images(idx_path=None):
    """Training images scaled to [-1, 1] as in the book; from an IDX file (optionally gzipped) when given."""
    if idx_path:
        with open(idx_path, "rb") as f:
            data = f.read()
        if data[:2] == b"\\x1f\\x8b":
            data = gzip.decompress(data)
        magic, count, rows, cols = struct.unpack(">IIII", data[:16])
        if magic != 0x803:
            sys.exit("%s is not an IDX image file" % idx_path)
        x_train = np.frombuffer(data, dtype=np.uint8, count=count * rows * cols, offset=16).reshape(count, rows, cols)
    else:
        (x_train, _), (_, _) = ${dataset.loader}
    x_train = x_train.astype("float32") / 127.5 - 1.0
    return np.expand_dims(x_train, axis=3)


${
    cond
      ? `def load_labels(idx_path=None):
    """Each training image's class label, in the same order as load_images; from an IDX file when given."""
    if idx_path:
        with open(idx_path, "rb") as f:
            data = f.read()
        if data[:2] == b"\\x1f\\x8b":
            data = gzip.decompress(data)
        magic, count = struct.unpack(">II", data[:8])
        if magic != 0x801:
            sys.exit("%s is not an IDX label file" % idx_path)
        y_train = np.frombuffer(data, dtype=np.uint8, count=count, offset=8)
    else:
        (_, y_train), (_, _) = ${dataset.loader}
    return y_train.astype("int32").reshape(-1, 1)


`
      : ''
  }def sample_images(generator, iteration, out_dir, image_grid_rows=${cond ? 2 : 4}, image_grid_columns=${cond ? 5 : 4}):
${cond ? "    # The book's chapter-8 grid: one image per digit 0-9, each titled with the digit asked for.\n" : ''}    z = np.random.normal(0, 1, (image_grid_rows * image_grid_columns, Z_DIM)).astype("float32")
${cond ? '    labels = (np.arange(image_grid_rows * image_grid_columns) % NUM_CLASSES).reshape(-1, 1).astype("int32")\n' : ''}    gen_imgs = keras.ops.convert_to_numpy(generator(${gCall('z', 'labels')}, training=False))
    gen_imgs = 0.5 * gen_imgs + 0.5
    fig, axs = plt.subplots(image_grid_rows, image_grid_columns, figsize=(${cond ? 10 : 4}, 4), sharey=True, sharex=True)
    cnt = 0
    for i in range(image_grid_rows):
        for j in range(image_grid_columns):
            axs[i, j].imshow(gen_imgs[cnt, :, :, 0], cmap="gray")
            axs[i, j].axis("off")
${cond ? '            axs[i, j].set_title("Digit: %d" % labels[cnt, 0])\n' : ''}            cnt += 1
    fig.savefig(os.path.join(out_dir, "samples_%d.png" % iteration))
    plt.close(fig)


def train(generator, discriminator, gan, d_optimizer, g_optimizer, iterations, batch_size, sample_interval, out_dir,
          check_isolation=False, idx_path=None${cond ? ', labels_path=None' : ''}):
    losses, accuracies, iteration_checkpoints = [], [], []
    x_train = load_images(idx_path)${cond ? '\n    y_train = load_labels(labels_path)' : ''}
    # Tensors, not NumPy arrays, so each tf.function step is traced once and then reused.
    real = tf.ones((batch_size, 1))
    fake = tf.zeros((batch_size, 1))
    d_step, g_step = make_train_steps(generator, discriminator, gan, d_optimizer, g_optimizer)

    for iteration in range(iterations):
        check = check_isolation and iteration < 2
        if check:
            print("isolation check, iteration %d:" % (iteration + 1))

${
          cond
            ? `        # Stage 1: D on a batch of real images with their labels (target 1), then on fakes generated for the same
        # labels (target 0).
        idx = np.random.randint(0, x_train.shape[0], batch_size)
        imgs, class_labels = x_train[idx], y_train[idx]
        z = np.random.normal(0, 1, (batch_size, Z_DIM)).astype("float32")
        ${makeFakes(gCall('z', 'class_labels'))}`
            : `        # Stage 1: D on a batch of real images (label 1), then on a batch of fakes (label 0).
        idx = np.random.randint(0, x_train.shape[0], batch_size)
        imgs = x_train[idx]
        z = np.random.normal(0, 1, (batch_size, Z_DIM)).astype("float32")
        ${makeFakes('z')}`
        }
        if check:
            g0, d0 = generator.get_weights(), discriminator.get_weights()
        d_loss_real, acc_real = d_step(tf.convert_to_tensor(imgs), ${cond ? 'tf.convert_to_tensor(class_labels), ' : ''}real)
        if check:
            check_stage("D step on real images", discriminator, generator, d0, g0)
            g0, d0 = generator.get_weights(), discriminator.get_weights()
        d_loss_fake, acc_fake = d_step(gen_imgs, ${cond ? 'tf.convert_to_tensor(class_labels), ' : ''}fake)
        if check:
            check_stage("D step on fake images", discriminator, generator, d0, g0)
        d_loss = 0.5 * (float(d_loss_real) + float(d_loss_fake))
        accuracy = 0.5 * (float(acc_real) + float(acc_fake))

        # Stage 2: fresh z${cond ? ' and uniformly random labels' : ''}, one G step through D with target 1 ("make D call the fakes real").
        z = np.random.normal(0, 1, (batch_size, Z_DIM)).astype("float32")${cond ? '\n        class_labels = np.random.randint(0, NUM_CLASSES, batch_size).reshape(-1, 1).astype("int32")' : ''}
        if check:
            g0, d0 = generator.get_weights(), discriminator.get_weights()
        g_loss = float(g_step(tf.convert_to_tensor(z), ${cond ? 'tf.convert_to_tensor(class_labels), ' : ''}real))
        if check:
            check_stage("G step", generator, discriminator, g0, d0)
            if iteration == 1:
                print("isolation ok")

        if (iteration + 1) % sample_interval == 0:
            losses.append((d_loss, g_loss))
            accuracies.append(100.0 * accuracy)
            iteration_checkpoints.append(iteration + 1)
            print("%d [D loss: %f, acc.: %.2f%%] [G loss: %f]" % (iteration + 1, d_loss, 100.0 * accuracy, g_loss))
            sample_images(generator, iteration + 1, out_dir)

    return losses, accuracies, iteration_checkpoints


def plot_history(losses, accuracies, iteration_checkpoints, out_dir):
    if not iteration_checkpoints:
        print("No sample_interval was reached, so there is nothing to plot.")
        return
    losses = np.array(losses)
    plt.figure(figsize=(15, 5))
    plt.plot(iteration_checkpoints, losses.T[0], label="Discriminator loss")
    plt.plot(iteration_checkpoints, losses.T[1], label="Generator loss")
    plt.xticks(iteration_checkpoints, rotation=90)
    plt.title("Training Loss")
    plt.xlabel("Iteration")
    plt.ylabel("Loss")
    plt.legend()
    plt.savefig(os.path.join(out_dir, "training_loss.png"))
    plt.close()

    accuracies = np.array(accuracies)
    plt.figure(figsize=(15, 5))
    plt.plot(iteration_checkpoints, accuracies, label="Discriminator accuracy")
    plt.xticks(iteration_checkpoints, rotation=90)
    plt.yticks(range(0, 100, 5))
    plt.title("Discriminator Accuracy")
    plt.xlabel("Iteration")
    plt.ylabel("Accuracy (%)")
    plt.legend()
    plt.savefig(os.path.join(out_dir, "discriminator_accuracy.png"))
    plt.close()


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=positive_int, default=${training.iterations})
    parser.add_argument("--batch-size", type=positive_int, default=${training.batchSize})
    parser.add_argument("--sample-interval", type=positive_int, default=${training.sampleInterval})
    parser.add_argument("--out", default="gan_output", help="folder for the sample grids and plots")
    parser.add_argument("--seed", type=int, default=${training.seed}, help="seeds Python, NumPy and TensorFlow")
    parser.add_argument("--mnist-idx", default=None,
                        help="read training images from this IDX file (train-images-idx3-ubyte[.gz]) instead of downloading")
${cond ? `    parser.add_argument("--mnist-labels-idx", default=None,
                        help="read training labels from this IDX file (train-labels-idx1-ubyte[.gz]) instead of downloading")
` : ''}    parser.add_argument("--check-isolation", action="store_true",
                        help="during the first 2 iterations, assert that D's steps change only D and G's only G")
    args = parser.parse_args()
    if args.check_isolation and args.iterations < 2:
        parser.error("--check-isolation needs --iterations 2 or more")
    os.makedirs(args.out, exist_ok=True)
    keras.utils.set_random_seed(args.seed)

    generator = build_generator()
    discriminator = build_discriminator()
    gan = build_gan(generator, discriminator)
    for model in (generator, discriminator):
        count = model.count_params()
        print("%s parameters: %s" % (model.name.capitalize(), format(count, ",")))
        if count != GANVAS_PARAMS[model.name]:
            sys.exit("Keras counts %d parameters in the %s; Ganvas counted %d." % (count, model.name, GANVAS_PARAMS[model.name]))

    d_optimizer = ${dOptimizer}
    g_optimizer = ${gOptimizer}
    history = train(generator, discriminator, gan, d_optimizer, g_optimizer, args.iterations, args.batch_size,
                    args.sample_interval, args.out, args.check_isolation, args.mnist_idx${cond ? ', args.mnist_labels_idx' : ''})
    plot_history(*history, args.out)


if __name__ == "__main__":
    main()
`;
  return script;
}
