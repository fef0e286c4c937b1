import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cloneDocument, type GraphDocument } from '../graph/document';
import { exportKeras, KerasExportError, pyFloat, pyTuple } from './kerasExport';
import { installedMnistPath } from '../cli/mnist';
import { branchingDocument, presetDocument } from '../testing/fixtures';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What this machine's python3 can do, probed once: the runtime tests are skipped, with the reason, when it cannot. */
function probe(code: string): { ok: boolean; out: string } {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', timeout: 120_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}
const python = probe('import sys; print(sys.version.split()[0])');
const keras = python.ok ? probe('import keras, tensorflow, matplotlib; print(keras.__version__)') : { ok: false, out: '' };
const keras3 = keras.ok && Number(keras.out.split('\n').pop()!.split('.')[0]) >= 3;
const kerasSkipReason = !python.ok
  ? 'python3 is not installed on this machine'
  : !keras.ok
    ? /No module named '?(\w+)/.exec(keras.out)?.[1] === 'keras'
      ? 'keras is not installed on this machine'
      : `keras, tensorflow or matplotlib cannot be imported here (${/No module named '?[\w.]+'?/.exec(keras.out)?.[0] ?? 'import failed'})`
    : !keras3
      ? `this machine has Keras ${keras.out}, not Keras 3`
      : '';

const preset = (): GraphDocument => presetDocument();
const withParams = (doc: GraphDocument, id: string, params: Record<string, unknown>): GraphDocument => {
  const copy = cloneDocument(doc);
  Object.assign(copy.nodes.find((n) => n.id === id)!.params, params);
  return copy;
};
/** The code lines of a function in the script (between its `def` and the next top-level statement). */
const body = (script: string, fn: string): string[] => {
  const lines = script.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`def ${fn}(`));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines.slice(start + 1, end).map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l.length > 0);
};

describe('exportKeras on the preset', () => {
  const script = exportKeras(preset());

  it("builds the book's generator, discriminator and combined model, layer for layer", () => {
    // Keras's functional API: each layer applied to the variable of the node that feeds it, named by its node id.
    expect(body(script, 'build_generator')).toEqual([
      'g_z = keras.Input(shape=(100,), name="g_z")',
      'g_dense1 = layers.Dense(128, name="g_dense1")(g_z)',
      'g_lrelu = layers.LeakyReLU(negative_slope=0.01, name="g_lrelu")(g_dense1)',
      'g_dense2 = layers.Dense(784, activation="tanh", name="g_dense2")(g_lrelu)',
      'g_reshape = layers.Reshape((28, 28, 1), name="g_reshape")(g_dense2)',
      'return keras.Model(g_z, g_reshape, name="generator")',
    ]);
    expect(body(script, 'build_discriminator')).toEqual([
      'd_image = keras.Input(shape=(28, 28, 1), name="d_image")',
      'd_flatten = layers.Flatten(name="d_flatten")(d_image)',
      'd_dense1 = layers.Dense(128, name="d_dense1")(d_flatten)',
      'd_lrelu = layers.LeakyReLU(negative_slope=0.01, name="d_lrelu")(d_dense1)',
      'd_dense2 = layers.Dense(1, activation="sigmoid", name="d_dense2")(d_lrelu)',
      'return keras.Model(d_image, d_dense2, name="discriminator")',
    ]);
    expect(body(script, 'build_gan')).toContain('return keras.Model(z, discriminator(generator(z)), name="gan")');
    expect(script).toContain('Z_DIM = 100\n');
    expect(script).toContain('IMG_SHAPE = (28, 28, 1)\n');
    // Keras 3 spelling only: `alpha=` would be the Keras 2 argument.
    expect(script).not.toMatch(/LeakyReLU\(alpha/);
  });

  it('uses one Adam per network with the loss nodes\' settings, binary cross-entropy and a 0.5 threshold', () => {
    const adam = 'keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)';
    expect(script).toContain(`d_optimizer = ${adam}`);
    expect(script).toContain(`g_optimizer = ${adam}`);
    expect(script).toContain('keras.losses.BinaryCrossentropy()');
    expect(script).toContain('predictions > 0.5');
  });

  it('reproduces the data pipeline, the iteration, the log line, the grids and the plots', () => {
    expect(script).toContain('keras.datasets.mnist.load_data()');
    expect(script).toContain('x_train.astype("float32") / 127.5 - 1.0');
    expect(script).toContain('np.expand_dims(x_train, axis=3)');
    expect(script).toContain('idx = np.random.randint(0, x_train.shape[0], batch_size)');
    expect(script).toContain('z = np.random.normal(0, 1, (batch_size, Z_DIM))');
    // D on real (1), D on fake (0), the means, fresh z, G with target 1 — in that order.
    const order = ['d_step(tf.convert_to_tensor(imgs), real)', 'd_step(gen_imgs, fake)', 'd_loss = 0.5 * (', 'accuracy = 0.5 * (', 'z = np.random.normal(0, 1, (batch_size, Z_DIM))', 'g_step(tf.convert_to_tensor(z), real)'];
    const train = script.slice(script.indexOf('def train('));
    let at = train.indexOf('for iteration in range(iterations)');
    for (const step of order) {
      at = train.indexOf(step, at + 1);
      expect(at, step).toBeGreaterThan(0);
    }
    expect(script).toContain('print("%d [D loss: %f, acc.: %.2f%%] [G loss: %f]" % (iteration + 1, d_loss, 100.0 * accuracy, g_loss))');
    expect(script).toContain('if (iteration + 1) % sample_interval == 0:');
    expect(script).toContain('gen_imgs = 0.5 * gen_imgs + 0.5');
    expect(script).toContain('"samples_%d.png" % iteration');
    expect(script).toContain('matplotlib.use("Agg")');
    expect(script).toContain('plt.title("Training Loss")');
    expect(script).toContain('plt.title("Discriminator Accuracy")');
    expect(script).toMatch(/savefig\(os\.path\.join\(out_dir, "training_loss\.png"\)\)/);
    expect(script).toMatch(/savefig\(os\.path\.join\(out_dir, "discriminator_accuracy\.png"\)\)/);
  });

  it('isolates the stages without the trainable flag, explains why, and can prove it', () => {
    // No code line toggles `trainable`; the flag appears only in the explanation.
    const code = script.split('\n').filter((l) => !l.trim().startsWith('#'));
    expect(code.some((l) => /\.trainable\s*=/.test(l))).toBe(false);
    expect(script).toMatch(/# Stage isolation on Keras 3/);
    expect(script).toContain('tf.GradientTape()');
    expect(script).toContain('d_vars = discriminator.trainable_weights');
    expect(script).toContain('g_vars = generator.trainable_weights');
    expect(script).toContain('d_optimizer.apply(tape.gradient(loss, d_vars), d_vars)');
    expect(script).toContain('g_optimizer.apply(tape.gradient(loss, g_vars), g_vars)');
    expect(script).toContain('parser.add_argument("--check-isolation", action="store_true"');
    expect(script).toContain('check_stage("D step on real images", discriminator, generator, d0, g0)');
    expect(script).toContain('check_stage("G step", generator, discriminator, g0, d0)');
    expect(script).toContain('print("isolation ok")');
    expect(script).toContain('get_weights()');
  });

  it('has the command-line arguments, defaulting to the document\'s training block, and checks parameter counts', () => {
    expect(script).toContain('parser.add_argument("--iterations", type=positive_int, default=20000)');
    expect(script).toContain('parser.add_argument("--batch-size", type=positive_int, default=128)');
    expect(script).toContain('parser.add_argument("--sample-interval", type=positive_int, default=1000)');
    expect(script).toContain('parser.add_argument("--out", default="gan_output"');
    expect(script).toContain('GANVAS_PARAMS = {"generator": 114064, "discriminator": 100609}');
    expect(script).toContain('count = model.count_params()');
    const custom = exportKeras(preset(), { iterations: 50, batchSize: 64, sampleInterval: 5, seed: 3 });
    expect(custom).toContain('"--iterations", type=positive_int, default=50)');
    expect(custom).toContain('"--batch-size", type=positive_int, default=64)');
    expect(custom).toContain('"--sample-interval", type=positive_int, default=5)');
    expect(custom).toContain('"--seed", type=int, default=3,');
  });
});

describe('exportKeras on other graphs', () => {
  it('follows the graph: Dense 256 exports 256 and the new parameter count', () => {
    const script = exportKeras(withParams(preset(), 'g_dense1', { units: 256 }));
    expect(body(script, 'build_generator')).toContain('g_dense1 = layers.Dense(256, name="g_dense1")(g_z)');
    expect(script).toContain(`GANVAS_PARAMS = {"generator": ${100 * 256 + 256 + 256 * 784 + 784}, "discriminator": 100609}`);
  });

  it('writes every activation, bias and slope the nodes allow', () => {
    let doc = withParams(preset(), 'd_dense1', { activation: 'relu', useBias: false });
    doc = withParams(doc, 'g_lrelu', { alpha: 0.2 });
    doc = withParams(doc, 'g_dense1', { activation: 'sigmoid' });
    doc = withParams(doc, 'g_loss', { learningRate: 0.0002, beta1: 0.5 });
    const script = exportKeras(doc);
    expect(script).toContain('d_dense1 = layers.Dense(128, activation="relu", use_bias=False, name="d_dense1")(d_flatten)');
    expect(script).toContain('g_dense1 = layers.Dense(128, activation="sigmoid", name="g_dense1")(g_z)');
    expect(script).toContain('g_lrelu = layers.LeakyReLU(negative_slope=0.2, name="g_lrelu")(g_dense1)');
    expect(script).toContain('g_optimizer = keras.optimizers.Adam(learning_rate=0.0002, beta_1=0.5, beta_2=0.999, epsilon=1e-7)');
    expect(script).toContain('GANVAS_PARAMS = {"generator": 114064, "discriminator": 100481}');
  });

  it('exports a deeper generator in graph order', () => {
    const doc = cloneDocument(preset());
    // Insert Dense 256 + LeakyReLU between g_lrelu and g_dense2.
    doc.nodes.push({ id: 'g_dense_mid', type: 'Dense', params: { units: 256, activation: 'none', useBias: true }, position: { x: 0, y: 0 } });
    doc.nodes.push({ id: 'g_lrelu_mid', type: 'LeakyReLU', params: { alpha: 0.01 }, position: { x: 0, y: 0 } });
    doc.edges = doc.edges.filter((e) => e.id !== 'e3');
    doc.edges.push(
      { id: 'm1', from: { node: 'g_lrelu', socket: 'out' }, to: { node: 'g_dense_mid', socket: 'in' } },
      { id: 'm2', from: { node: 'g_dense_mid', socket: 'out' }, to: { node: 'g_lrelu_mid', socket: 'in' } },
      { id: 'm3', from: { node: 'g_lrelu_mid', socket: 'out' }, to: { node: 'g_dense2', socket: 'in' } },
    );
    const layersOnly = body(exportKeras(doc), 'build_generator').filter((l) => l.includes('= layers.'));
    expect(layersOnly).toEqual([
      'g_dense1 = layers.Dense(128, name="g_dense1")(g_z)',
      'g_lrelu = layers.LeakyReLU(negative_slope=0.01, name="g_lrelu")(g_dense1)',
      'g_dense_mid = layers.Dense(256, name="g_dense_mid")(g_lrelu)',
      'g_lrelu_mid = layers.LeakyReLU(negative_slope=0.01, name="g_lrelu_mid")(g_dense_mid)',
      'g_dense2 = layers.Dense(784, activation="tanh", name="g_dense2")(g_lrelu_mid)',
      'g_reshape = layers.Reshape((28, 28, 1), name="g_reshape")(g_dense2)',
    ]);
  });

  it('exports a graph with branches and joins in the functional API, each layer applied to its inputs by socket', () => {
    const script = exportKeras(branchingDocument());
    expect(body(script, 'build_generator')).toEqual([
      'g_z = keras.Input(shape=(100,), name="g_z")',
      'g_dense1 = layers.Dense(32, name="g_dense1")(g_z)',
      'g_skip = layers.Dense(32, activation="tanh", name="g_skip")(g_z)',
      'g_lrelu = layers.LeakyReLU(negative_slope=0.01, name="g_lrelu")(g_dense1)',
      'g_add = layers.Add(name="g_add")([g_lrelu, g_skip])',
      'g_dense2 = layers.Dense(784, activation="tanh", name="g_dense2")(g_add)',
      'g_reshape = layers.Reshape((28, 28, 1), name="g_reshape")(g_dense2)',
      'return keras.Model(g_z, g_reshape, name="generator")',
    ]);
    const d = body(script, 'build_discriminator');
    expect(d).toContain('d_side_relu = layers.ReLU(name="d_side_relu")(d_side)');
    expect(d).toContain('d_concat = layers.Concatenate(axis=-1, name="d_concat")([d_lrelu, d_side_relu])');
    expect(d).toContain('d_dense2 = layers.Dense(1, activation="sigmoid", name="d_dense2")(d_concat)');
    expect(script).toContain('GANVAS_PARAMS = {"generator": 32336, "discriminator": 37729}');
    expect(script).toContain('(a graph with branches; in evaluation order)');
  });

  it('turns node ids into Python names that cannot clash with the script or each other', () => {
    const doc = cloneDocument(preset());
    const rename = (from: string, to: string) => {
      doc.nodes.find((n) => n.id === from)!.id = to;
      for (const e of doc.edges) for (const end of [e.from, e.to]) if (end.node === from) end.node = to;
    };
    rename('g_dense1', 'layers');
    rename('g_lrelu', '1-x');
    rename('g_dense2', 'class');
    const g = body(exportKeras(doc), 'build_generator');
    expect(g).toContain('layers_ = layers.Dense(128, name="layers")(g_z)');
    expect(g).toContain('n_1_x = layers.LeakyReLU(negative_slope=0.01, name="1-x")(layers_)');
    expect(g).toContain('class_ = layers.Dense(784, activation="tanh", name="class")(n_1_x)');
  });

  it('refuses an invalid graph, naming each problem', () => {
    const doc = cloneDocument(preset());
    doc.edges = doc.edges.filter((e) => e.id !== 'e11');
    expect(() => exportKeras(doc)).toThrow(KerasExportError);
    expect(() => exportKeras(doc)).toThrow(/cannot export an invalid graph:\n {2}- gan: Input "critic" is not connected/);
    expect(() => exportKeras(withParams(preset(), 'g_dense2', { units: 100 }))).toThrow(/g_reshape: Cannot reshape \?×100 /);
    expect(() => exportKeras(preset(), { iterations: 0 })).toThrow(/iterations must be a positive whole number/);
  });

  it('keeps a hostile graph name out of the code', () => {
    const doc = { ...preset(), name: 'x"""\nimport os; os.system("boom")\n\\' };
    const script = exportKeras(doc);
    expect(script.split('\n')[1]).toBe('"""x" import os; os.system("boom"): a GAN exported from Ganvas as a Keras 3 script.');
    expect(script).not.toMatch(/^import os; os\.system/m);
  });

  it('writes Python literals', () => {
    expect(pyFloat(1)).toBe('1.0');
    expect(pyFloat(0.001)).toBe('0.001');
    expect(pyFloat(1e-7)).toBe('1e-7');
    expect(pyFloat(1e21)).toBe('1e+21');
    expect(pyTuple([784])).toBe('(784,)');
    expect(pyTuple([28, 28, 1])).toBe('(28, 28, 1)');
  });
});

describe('the exported script as Python', () => {
  it.skipIf(!python.ok)(`compiles with python3 -m py_compile${python.ok ? ` (Python ${python.out})` : ' (skipped: python3 is not installed on this machine)'}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganvas-keras-'));
    try {
      for (const [name, doc] of [
        ['preset.py', preset()],
        ['wide.py', withParams(preset(), 'g_dense1', { units: 256, useBias: false })],
        ['branching.py', branchingDocument()],
      ] as const) {
        const file = join(dir, name);
        writeFileSync(file, exportKeras(doc));
        const r = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!keras3)(`runs on Keras 3 with --iterations 2 --check-isolation${keras3 ? ` (Keras ${keras.out.split('\n').pop()})` : ` (skipped: ${kerasSkipReason})`}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganvas-keras-'));
    try {
      const file = join(dir, 'gan.py');
      writeFileSync(file, exportKeras(preset()));
      // Local MNIST when there is one, so the run needs no download.
      const shared = join(root, '../shared/data/mnist/train-images-idx3-ubyte.gz');
      let idx: string | undefined = existsSync(shared) ? shared : undefined;
      if (!idx) {
        try {
          idx = existsSync(installedMnistPath()) ? installedMnistPath() : undefined;
        } catch {
          idx = undefined;
        }
      }
      const out = join(dir, 'out');
      const args = [file, '--iterations', '2', '--check-isolation', '--batch-size', '32', '--sample-interval', '1', '--out', out, ...(idx ? ['--mnist-idx', idx] : [])];
      const r = spawnSync('python3', args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
      const text = `${r.stdout}\n${r.stderr}`;
      expect(r.status, text).toBe(0);
      expect(r.stdout).toContain('Generator parameters: 114,064');
      expect(r.stdout).toContain('Discriminator parameters: 100,609');
      expect(r.stdout).toContain('isolation ok');
      expect(r.stdout).toMatch(/^2 \[D loss: \d+\.\d{6}, acc\.: \d+\.\d{2}%\] \[G loss: \d+\.\d{6}\]$/m);
      expect(readdirSync(out).sort()).toEqual(['discriminator_accuracy.png', 'samples_1.png', 'samples_2.png', 'training_loss.png']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
