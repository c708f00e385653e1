import { describe, expect, it } from 'vitest';
import { fluxDevModel } from '@/lib/freepik/models/flux-dev';
import { hyperfluxModel } from '@/lib/freepik/models/hyperflux';
import { describeFluxStyled } from './flux-styled.shared';

describeFluxStyled(hyperfluxModel, { id: 'hyperflux', name: 'HyperFlux', path: '/v1/ai/text-to-image/hyperflux' });

describe('HyperFlux and Flux Dev', () => {
  it('share one body schema and one settings schema (field-for-field identical endpoints)', () => {
    expect(hyperfluxModel.bodySchema).toBe(fluxDevModel.bodySchema);
    expect(hyperfluxModel.settingsSchema).toBe(fluxDevModel.settingsSchema);
    expect(hyperfluxModel.summary).not.toBe(fluxDevModel.summary);
  });
});
