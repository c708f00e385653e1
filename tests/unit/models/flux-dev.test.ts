import { fluxDevModel } from '@/lib/freepik/models/flux-dev';
import { describeFluxStyled } from './flux-styled.shared';

describeFluxStyled(fluxDevModel, { id: 'flux-dev', name: 'Flux Dev', path: '/v1/ai/text-to-image/flux-dev' });
