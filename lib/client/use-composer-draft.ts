'use client';

import { useCallback, useEffect, useState } from 'react';
import type { GenerationDraft } from '../generation/schema';
import { DEFAULT_COMPOSER_DRAFT, loadDraft, saveDraft } from './draft-storage';
import { usePromptHistory } from './use-prompt-history';

const EMPTY: GenerationDraft = {
  prompt: DEFAULT_COMPOSER_DRAFT.prompt,
  ratio: DEFAULT_COMPOSER_DRAFT.ratio,
  seed: DEFAULT_COMPOSER_DRAFT.seed,
  variations: String(DEFAULT_COMPOSER_DRAFT.variations),
  model: DEFAULT_COMPOSER_DRAFT.model,
  settings: {},
  compare: [],
};

/**
 * The composer's draft, kept in localStorage as it changes so a reload (or a
 * crashed tab) gives it back, and the prompt history it walks. The stored
 * draft is read after mount: the server renders the empty composer, and the
 * first client render must match it.
 */
export function useComposerDraft() {
  const [draft, setDraftState] = useState<GenerationDraft>(EMPTY);
  const { history, record } = usePromptHistory();

  useEffect(() => {
    const stored = loadDraft();
    // Whatever the person typed before the stored draft was read wins.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- localStorage exists only after hydration; reading it once then is the point
    if (stored) setDraftState((now) => (now === EMPTY ? { ...stored, variations: String(stored.variations) } : now));
  }, []);

  const setDraft = useCallback((next: GenerationDraft) => {
    setDraftState(next);
    saveDraft({ ...next, variations: Number(next.variations) || 1 });
  }, []);

  return { draft, setDraft, history, recordPrompt: record };
}
