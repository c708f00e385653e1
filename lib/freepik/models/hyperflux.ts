import { fluxStyledModel } from './flux-dev';

/** HyperFlux, "the fastest Flux model available": Flux Dev's body exactly (freepik-models.md §5). */
export const hyperfluxModel = fluxStyledModel({
  id: 'hyperflux',
  name: 'HyperFlux',
  summary: "HyperFlux: the fastest Flux; Flux Dev's options (10 aspect ratios, seed, effects, colour palette).",
  path: '/v1/ai/text-to-image/hyperflux',
  wire: { createHasGenerated: true, mayAnswerBase64: false },
});
