// The Keras export of a conditional GAN (chapter 8): two-input networks, the label routed into D, the book's loop with
// labels, its labelled 2×5 grid, and its own isolation check. Runs on Keras 3 where the machine has it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportKeras } from './kerasExport';
import { presetDocument } from '../testing/fixtures';
import { denseCganDocument } from '../testing/cganFixtures';

const root = fileURLToPath(new URL('../../', import.meta.url));
const probe = (code: string) => {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', timeout: 120_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}`.trim() };
};
const python = probe('import sys; print(sys.version.split()[0])');
const keras = python.ok ? probe('import keras, tensorflow, matplotlib; print(keras.__version__)') : { ok: false, out: '' };
const keras3 = keras.ok && Number(keras.out.split('\n').pop()!.split('.')[0]) >= 3;
const code = (script: string) => script.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');

describe('exportKeras on the chapter-8 CGAN preset', () => {
  const script = exportKeras(presetDocument('cgan-mnist'));

  it('builds G(z, label) and D(image, label) with int32 label inputs and the book\'s embeddings, and counts all weights', () => {
    expect(script).toContain('g_label = keras.Input(shape=(1,), dtype="int32", name="g_label")');
    expect(script).toContain('g_embed = layers.Embedding(10, 100, name="g_embed")(g_label)');
    expect(script).toContain('g_join = layers.Multiply(name="g_join")([g_z, g_embed_flat])');
    expect(script).toContain('return keras.Model([g_z, g_label], g_convt3, name="generator")');
    expect(script).toContain('d_embed = layers.Embedding(10, 784, name="d_embed")(d_label)');
    expect(script).toContain('d_join = layers.Concatenate(axis=-1, name="d_join")([d_image, d_embed_image])');
    expect(script).toContain('return keras.Model([d_image, d_label], d_dense, name="discriminator")');
    expect(script).toContain('GANVAS_PARAMS = {"generator": 1638121, "discriminator": 122657}');
    expect(script).toContain('NUM_CLASSES = 10');
  });

  it('routes the same label into D in the combined model and runs chapter 8\'s loop', () => {
    const c = code(script);
    expect(c).toContain('return keras.Model([z, label], discriminator([generator([z, label]), label]), name="gan")');
    expect(c).toContain('imgs, class_labels = x_train[idx], y_train[idx]');
    expect(c).toContain('gen_imgs = generator([z, class_labels], training=False)');
    expect(c).toContain('d_loss_real, acc_real = d_step(tf.convert_to_tensor(imgs), tf.convert_to_tensor(class_labels), real)');
    expect(c).toContain('d_loss_fake, acc_fake = d_step(gen_imgs, tf.convert_to_tensor(class_labels), fake)');
    expect(c).toContain('class_labels = np.random.randint(0, NUM_CLASSES, batch_size).reshape(-1, 1).astype("int32")');
    expect(c).toContain('g_loss = float(g_step(tf.convert_to_tensor(z), tf.convert_to_tensor(class_labels), real))');
    expect(c).toContain('predictions = discriminator([images, class_labels], training=True)');
    expect(c).toContain('loss = bce(labels, discriminator([generator([z, class_labels], training=True), class_labels], training=True))');
    // Its own isolation check, per stage, as the unconditional script.
    expect(c).toContain('check_stage("G step", generator, discriminator, g0, d0)');
    // The book's labelled grid, and no leftover unconditional one.
    expect(c).toContain('axs[i, j].set_title("Digit: %d" % labels[cnt, 0])');
    expect(c).toContain('def sample_images(generator, iteration, out_dir, image_grid_rows=2, image_grid_columns=5):');
    expect(c).not.toContain('_unconditional');
    expect(c).toContain('--mnist-labels-idx');
  });

  it("makes D's fakes on the fake batch's statistics when the combiner asks, putting G's moving averages back", () => {
    const doc = presetDocument('cgan-mnist');
    doc.nodes.find((n) => n.type === 'FreezingCombiner')!.params.fakesBatchNorm = 'batch';
    const c = code(exportKeras(doc));
    expect(c).not.toContain('gen_imgs = generator([z, class_labels], training=False)');
    const lines = c.split('\n').map((l) => l.trim());
    const at = lines.indexOf('gen_imgs = generator([z, class_labels], training=True)');
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toBe('g_moving = [tf.identity(v) for v in generator.non_trainable_weights]');
    expect(lines.slice(at + 1, at + 3)).toEqual(['for v, s in zip(generator.non_trainable_weights, g_moving):', 'v.assign(s)']);
    if (python.ok) {
      const dir = mkdtempSync(join(tmpdir(), 'ganvas-cgan-'));
      try {
        writeFileSync(join(dir, 'fakes.py'), exportKeras(doc));
        const r = spawnSync('python3', ['-m', 'py_compile', join(dir, 'fakes.py')], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it.skipIf(!python.ok)('compiles with python3 -m py_compile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganvas-cgan-'));
    try {
      for (const [name, doc] of [['cgan.py', presetDocument('cgan-mnist')], ['dense.py', denseCganDocument()]] as const) {
        writeFileSync(join(dir, name), exportKeras(doc));
        const r = spawnSync('python3', ['-m', 'py_compile', join(dir, name)], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!keras3)(`runs on Keras 3 with --iterations 2 --check-isolation${keras3 ? '' : ' (skipped: no Keras 3 on this machine)'}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganvas-cgan-'));
    try {
      const file = join(dir, 'cgan.py');
      writeFileSync(file, exportKeras(denseCganDocument()));
      const images = join(root, '../shared/data/mnist/train-images-idx3-ubyte.gz');
      const labels = join(root, '../shared/data/mnist/train-labels-idx1-ubyte.gz');
      const data = existsSync(images) && existsSync(labels) ? ['--mnist-idx', images, '--mnist-labels-idx', labels] : [];
      const out = join(dir, 'out');
      const r = spawnSync('python3', [file, '--iterations', '2', '--check-isolation', '--batch-size', '16', '--sample-interval', '1', '--out', out, ...data], {
        encoding: 'utf8',
        timeout: 300_000,
        env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('isolation ok');
      expect(readdirSync(out)).toContain('samples_2.png');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
