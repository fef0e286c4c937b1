// The teaching texts of the Learn panel and the walkthrough. The ideas of "GANs in Action" ch. 3 (Learn panel sections,
// node/parameter tooltips) live in the node files that own them (NodeDef.concepts / tooltip / paramTooltips); this
// module lists them and adds the texts no node owns: the teachers' section and the walkthrough's per-stage
// explanations. Every text carries English and Korean; src/i18n/ui.test.ts fails on a missing or empty language.
import { NODE_TYPES, nodeDef } from '../../nodes/registry';
import type { Concept, LocalizedText } from '../../nodes/types';
import type { WalkStageId } from '../../train/walkthrough';

export type { Concept } from '../../nodes/types';
export type ConceptId = string;

/** The Learn panel's sections: the ideas each node type's own file teaches, in registry order. */
export const CONCEPTS: readonly Concept[] = NODE_TYPES.flatMap((d) => d.concepts ?? []);

export const concept = (id: ConceptId): Concept => CONCEPTS.find((c) => c.id === id)!;

/** The Learn panel's "For teachers" section: the URL options of src/ui/teach/teacher.ts. */
export const TEACHERS: { title: LocalizedText; body: LocalizedText } = {
  title: { en: 'For teachers', ko: '교사용 안내' },
  body: {
    en: 'Add options to the page address (like TensorFlow Playground). ?teacher=readonly shows the graph read-only: learners can train and explore it but not edit it. ?hide=palette,inspector,training,save hides parts of the screen; names: palette, inspector, training, new, preset, edit (undo, redo, arrange), save, open, share, language, learn, walkthrough, export, models. Combine them with &, e.g. ?teacher=readonly&hide=palette,save. “Copy teacher link” copies a read-only link to the current graph.',
    ko: '페이지 주소에 옵션을 붙이세요(TensorFlow Playground처럼). ?teacher=readonly는 그래프를 읽기 전용으로 보여 줍니다. 학습자는 학습하고 살펴볼 수 있지만 편집할 수는 없습니다. ?hide=palette,inspector,training,save는 화면의 일부를 숨깁니다. 이름: palette, inspector, training, new, preset, edit(실행 취소, 다시 실행, 정렬), save, open, share, language, learn, walkthrough, export, models. &로 함께 쓸 수 있습니다. 예: ?teacher=readonly&hide=palette,save. "교사용 링크 복사"는 지금 그래프의 읽기 전용 링크를 복사합니다.',
  },
};

/** The walkthrough's explanation for each stage; `{n}` is the batch size. */
export const WALK_TEXTS: Record<WalkStageId | 'intro', { title: LocalizedText; body: LocalizedText }> = {
  intro: {
    title: { en: 'One training iteration, stage by stage', ko: '학습 한 반복을 단계별로' },
    body: {
      en: 'Press Next to take one real training iteration of this graph, one stage at a time. Each stage shows what it computed and lights up the nodes and connections it touches: green = weights updated, blue ❄ = frozen (used but not changed), amber = read. The iteration counts like any other: the weights really change.',
      ko: '다음을 누르면 이 그래프의 실제 학습 반복 하나를 한 단계씩 진행합니다. 단계마다 계산한 값을 보여 주고, 건드리는 노드와 연결을 표시합니다. 초록 = 가중치 갱신, 파랑 ❄ = 고정(쓰이지만 바뀌지 않음), 주황 = 읽기. 이 반복도 다른 반복처럼 세어지며 가중치가 실제로 바뀝니다.',
    },
  },
  real: {
    title: { en: '1. Sample {n} real images', ko: '1. 진짜 이미지 {n}장 뽑기' },
    body: {
      en: 'A random batch of {n} MNIST digits is drawn (with replacement) and scaled from 0…255 to [-1, 1], the range of G’s tanh output. These enter the discriminator through the image input. The first 16 are shown.',
      ko: 'MNIST 숫자 {n}장을 무작위로(중복 허용) 뽑아 0…255에서 G의 tanh 출력과 같은 [-1, 1] 범위로 바꿉니다. 이 이미지는 이미지 입력을 거쳐 판별자로 들어갑니다. 앞의 16장을 보여 줍니다.',
    },
  },
  generate: {
    title: { en: '2. z ~ N(0, 1) and G(z)', ko: '2. z ~ N(0, 1)과 G(z)' },
    body: {
      en: '{n} noise vectors z are drawn from a standard normal distribution and passed forward through the generator. Nothing is updated: this is only a forward pass. These are the fakes D will see in stage 4; the first 16 are shown.',
      ko: '표준 정규분포에서 노이즈 벡터 z를 {n}개 뽑아 생성자에 앞으로 통과시킵니다. 아무것도 갱신하지 않는 순전파일 뿐입니다. 이 가짜 이미지를 4단계에서 D가 보게 됩니다. 앞의 16장을 보여 줍니다.',
    },
  },
  dReal: {
    title: { en: '3. D step on real images, label 1', ko: '3. 진짜 이미지로 D 한 단계, 레이블 1' },
    body: {
      en: 'D judges the real batch; binary cross-entropy against the label 1 measures its mistakes, and Adam updates D’s weights once. G is frozen ❄: it is not part of this computation at all.',
      ko: 'D가 진짜 배치를 판정하고, 레이블 1에 대한 이진 크로스 엔트로피가 실수를 잽니다. Adam이 D의 가중치를 한 번 갱신합니다. G는 고정 ❄입니다. 이 계산에 전혀 참여하지 않습니다.',
    },
  },
  dFake: {
    title: { en: '4. D step on fakes, label 0', ko: '4. 가짜 이미지로 D 한 단계, 레이블 0' },
    body: {
      en: 'The same for the fakes of stage 2, now with the label 0. The fakes are plain data here, so G stays frozen ❄. The book’s d_loss and accuracy are the means of the real and fake halves.',
      ko: '2단계의 가짜 이미지로 같은 일을 하되 레이블은 0입니다. 여기서 가짜 이미지는 그냥 데이터이므로 G는 고정 ❄ 상태입니다. 책의 d_loss와 정확도는 진짜와 가짜 절반의 평균입니다.',
    },
  },
  gStep: {
    title: { en: '5. G step through the combiner, D frozen ❄', ko: '5. 결합기를 거친 G 한 단계, D 고정 ❄' },
    body: {
      en: 'Fresh z is drawn and sent through G and then D (the combined model) with the target 1: G is rewarded when D calls its fakes real. Gradients flow back through D’s layers into G, but only G’s weights are updated; D is frozen ❄.',
      ko: '새 z를 뽑아 G와 D(결합 모델)에 차례로 통과시키고 목표는 1로 둡니다. D가 가짜를 진짜라고 부르면 G가 보상을 받습니다. 기울기는 D의 층을 거쳐 G까지 흐르지만 갱신되는 것은 G의 가중치뿐이고 D는 고정 ❄입니다.',
    },
  },
  log: {
    title: { en: '6. The log line', ko: '6. 기록 한 줄' },
    body: {
      en: 'The iteration is complete. The book prints this line every sample_interval iterations: D’s loss and accuracy (means over real and fake), and G’s loss. It is also added to the training log.',
      ko: '반복이 끝났습니다. 책은 sample_interval 반복마다 이 줄을 출력합니다. D의 손실과 정확도(진짜와 가짜의 평균), G의 손실입니다. 학습 기록에도 추가됩니다.',
    },
  },
};

/** Concepts a node shows as its tooltip, as its node type declares (Dense by its activation). */
export function nodeConcepts(type: string, params: Record<string, unknown> | undefined): ConceptId[] {
  const def = nodeDef(type);
  return def?.tooltip ? def.tooltip((params ?? {}) as Parameters<typeof def.tooltip>[0]) : [];
}

/** The concepts a parameter's tooltip explains. */
export function paramConcepts(type: string, key: string): ConceptId[] {
  return nodeDef(type)?.paramTooltips?.[key] ?? [];
}

/** A tooltip: the short lines of the given concepts, one per line. */
export const conceptTooltip = (ids: ConceptId[], lang: 'en' | 'ko'): string | undefined =>
  ids.length === 0 ? undefined : ids.map((id) => concept(id).short[lang]).join('\n');

/** Every text above, for the test that each one has both languages. */
export function allTeachTexts(): LocalizedText[] {
  return [
    ...CONCEPTS.flatMap((c) => [c.title, c.short, c.body]),
    TEACHERS.title,
    TEACHERS.body,
    ...Object.values(WALK_TEXTS).flatMap((w) => [w.title, w.body]),
  ];
}
