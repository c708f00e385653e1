'use client';

import { useSyncExternalStore } from 'react';
import { browserStorage } from './browser-storage';
import { addPrompt, HISTORY_STORAGE_KEY, readHistory, recordPrompt } from './prompt-history';

/**
 * The prompt history as React state, one store per tab shared by every
 * component using the hook. The server render and the hydrating client render
 * both see [] (getServerSnapshot), so markup matches; localStorage is read
 * right after. Other tabs' changes arrive through the `storage` event. When
 * localStorage is unavailable the history lives in memory for the session.
 */

const EMPTY: readonly string[] = Object.freeze([]);
const listeners = new Set<() => void>();
let snapshot: readonly string[] = EMPTY;
let loaded = false;

function emit() {
  for (const listener of listeners) listener();
}

function load() {
  const storage = browserStorage();
  // Without storage, keep what this session recorded.
  if (storage) snapshot = readHistory(storage);
  loaded = true;
}

function onStorage(event: StorageEvent) {
  if (event.key !== null && event.key !== HISTORY_STORAGE_KEY) return;
  if (event.storageArea && event.storageArea !== browserStorage()) return;
  load();
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    window.removeEventListener('storage', onStorage);
    // Nobody hears `storage` events now: read afresh on the next mount.
    loaded = false;
  };
}

function getSnapshot(): readonly string[] {
  if (!loaded) load();
  return snapshot;
}

function getServerSnapshot(): readonly string[] {
  return EMPTY;
}

/** Puts a generated prompt on top of the history (stored, and shown in every component using the hook). */
function record(prompt: string) {
  if (!prompt.trim()) return;
  if (!loaded) load();
  const next = browserStorage() ? recordPrompt(prompt) : addPrompt(snapshot, prompt);
  if (next === snapshot) return;
  snapshot = next;
  emit();
}

/** `history`: prompts newest first ([] until mounted). `record(prompt)`: call after a generation was accepted. */
export function usePromptHistory(): { history: readonly string[]; record: (prompt: string) => void } {
  const history = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  return { history, record };
}
