// Step 4 of analysis: which nodes form G and which form D, and which loss trains which. The combiner joins G (the
// subgraph behind its `fake` input) and D (the subgraph behind `critic`); each network is any connected acyclic
// subgraph of layers — branches and joins included — starting from its input nodes.
import type { GraphDocument } from './document';
import type { GanStructure, Network, Report } from './analyze';
import type { Topology } from './topology';
import type { ValidatedGraph } from './validate';

export interface Roles {
  network: Record<string, Network | 'link'>;
  /** Set when the roles are complete; the caller still withholds it while any error stands. */
  gan?: GanStructure;
}

export function findRoles(doc: GraphDocument, g: ValidatedGraph, t: Topology, error: Report): Roles {
  const network: Record<string, Network | 'link'> = {};
  const ofType = (type: string) => doc.nodes.filter((n) => n.type === type).map((n) => n.id);
  const category = (id: string) => g.defs.get(id)?.category;
  const combiners = ofType('FreezingCombiner');
  if (combiners.length === 0) error({ code: 'graph.noCombiner' });
  else if (combiners.length > 1) for (const id of combiners.slice(1)) error({ node: id, code: 'graph.extraCombiner' });
  if (ofType('NoiseInput').length === 0) error({ code: 'graph.noNoise' });
  if (ofType('ImageInput').length === 0) error({ code: 'graph.noImage' });

  const combiner = combiners[0];
  if (!combiner || t.onCycle.has(combiner)) return { network };
  const fakeEdge = t.source(combiner, 'fake');
  const criticEdge = t.source(combiner, 'critic');
  const gNodes = fakeEdge ? t.ancestors(fakeEdge.from.node) : [];
  const dNodes = criticEdge ? t.ancestors(criticEdge.from.node) : [];
  for (const id of gNodes) network[id] = 'generator';
  for (const id of dNodes) network[id] = network[id] === 'generator' ? 'link' : 'discriminator';
  network[combiner] = 'link';
  const gSet = new Set(gNodes);
  for (const id of dNodes) if (gSet.has(id)) error({ node: id, code: 'graph.sharedNode' });

  const losses = ofType('BCELoss');
  const lossesOn = (producer: string | undefined) => losses.filter((l) => producer !== undefined && t.source(l, 'pred')?.from.node === producer);
  const dLosses = lossesOn(criticEdge?.from.node);
  const gLosses = lossesOn(combiner);
  for (const l of dLosses) network[l] = 'discriminator';
  for (const l of gLosses) network[l] = 'generator';
  for (const l of losses) if (!dLosses.includes(l) && !gLosses.includes(l) && t.source(l, 'pred')) error({ node: l, code: 'graph.lossNotOnGan' });
  if (criticEdge && dLosses.length === 0) error({ node: criticEdge.from.node, code: 'graph.noDLoss' });
  if (dLosses.length > 1) for (const l of dLosses.slice(1)) error({ node: l, code: 'graph.extraLoss' });
  if (gLosses.length === 0) error({ node: combiner, code: 'graph.noGLoss' });
  if (gLosses.length > 1) for (const l of gLosses.slice(1)) error({ node: l, code: 'graph.extraLoss' });

  // A network's inputs are a list: G reads exactly one noise input and D exactly one image input (where real images
  // and G's fakes enter); a conditional GAN adds one label input to each (chapter 8).
  const inDocumentOrder = (ids: string[]) => {
    const set = new Set(ids);
    return doc.nodes.map((n) => n.id).filter((id) => set.has(id));
  };
  const gInputs = inDocumentOrder(gNodes.filter((id) => category(id) === 'input'));
  const dInputs = inDocumentOrder(dNodes.filter((id) => category(id) === 'input'));
  const typeOf = (id: string) => g.nodes.get(id)!.type;
  const gLabels = gInputs.filter((id) => typeOf(id) === 'LabelInput');
  const dLabels = dInputs.filter((id) => typeOf(id) === 'LabelInput');
  const noises = gInputs.filter((id) => typeOf(id) === 'NoiseInput');
  if (fakeEdge && ((gInputs.length > 0 && noises.length === 0) || gInputs.some((id) => typeOf(id) !== 'NoiseInput' && typeOf(id) !== 'LabelInput'))) error({ node: combiner, socket: 'fake', code: 'graph.generatorNeedsNoise' });
  for (const id of noises.slice(1)) error({ node: id, code: 'graph.extraNoise' });
  const images = dInputs.filter((id) => typeOf(id) === 'ImageInput');
  if (criticEdge && ((dInputs.length > 0 && images.length === 0) || dInputs.some((id) => typeOf(id) !== 'ImageInput' && typeOf(id) !== 'LabelInput'))) error({ node: combiner, socket: 'critic', code: 'graph.discriminatorNeedsImage' });
  for (const id of images.slice(1)) error({ node: id, code: 'graph.extraImage' });
  for (const id of [...gLabels.slice(1), ...dLabels.slice(1)]) error({ node: id, code: 'graph.extraLabel' });
  // The combiner hands D the labels G was asked for, so a label on one side only would leave the other side guessing.
  if (fakeEdge && criticEdge) {
    if (gLabels.length > 0 && dLabels.length === 0) error({ node: gLabels[0], code: 'graph.labelOnlyInG' });
    if (dLabels.length > 0 && gLabels.length === 0) error({ node: dLabels[0], code: 'graph.labelOnlyInD' });
  }
  // Only layers (and the networks' inputs) may sit inside G or D: a loss or a second combiner there is a wiring slip.
  for (const id of [...gNodes, ...dNodes]) {
    const def = g.defs.get(id);
    if (def && def.category !== 'layer' && def.category !== 'input') error({ node: id, code: 'graph.notALayer', args: { type: def.type } });
  }
  if (!fakeEdge || !criticEdge || gInputs.length === 0 || dInputs.length === 0 || dLosses.length === 0 || gLosses.length === 0) return { network };
  const layersInOrder = (ids: string[]) => {
    const set = new Set(ids);
    return t.order.filter((id) => set.has(id) && category(id) === 'layer');
  };
  const image = images[0];
  if (!image) return { network };
  return {
    network,
    gan: {
      generatorInputs: gInputs,
      discriminatorInputs: dInputs,
      image,
      ...(gLabels[0] && dLabels[0] ? { generatorLabel: gLabels[0], discriminatorLabel: dLabels[0] } : {}),
      generator: layersInOrder(gNodes),
      discriminator: layersInOrder(dNodes),
      generatorOutput: fakeEdge.from.node,
      generatorOutputSocket: fakeEdge.from.socket,
      discriminatorOutput: criticEdge.from.node,
      discriminatorOutputSocket: criticEdge.from.socket,
      combiner,
      dLoss: dLosses[0],
      gLoss: gLosses[0],
    },
  };
}
