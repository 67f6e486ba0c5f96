import { useEffect, useId, useState } from 'react';
import { PLACE_SEARCH_LIMITS, type PlaceMatch, type PlacesResponse } from '@truceline/shared';
import { t } from '../i18n';
import { api } from '../net/api';
import { useSession } from '../session/session-store';
import { useUi } from '../store/ui-store';

/** Typing pauses this long before the server is asked: a name is typed in bursts. */
const DEBOUNCE_MS = 250;
const SUGGESTIONS = 8;

/** The server's answer, with the query it answers: an answer to an older query is not shown. */
type Answer = { query: string } & ({ state: 'done'; places: PlaceMatch[] } | { state: 'failed' });

/** "Go to a settlement": type a name, pick a suggestion (click, or arrows and Enter), the map flies there. */
export function PlaceSearch() {
  const token = useSession((s) => s.token);
  const [query, setQuery] = useState('');
  const [answer, setAnswer] = useState<Answer | undefined>();
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const listId = useId();

  useEffect(() => {
    const q = query.trim();
    if (q === '' || !token) return;
    // Aborting the previous request keeps a slow answer for "av" from replacing the one for "avdi".
    const abort = new AbortController();
    const timer = setTimeout(() => {
      const path = `/api/places?q=${encodeURIComponent(q.slice(0, PLACE_SEARCH_LIMITS.queryMax))}&limit=${SUGGESTIONS}`;
      api<PlacesResponse>(path, { token, signal: abort.signal }).then(
        (body) => {
          setAnswer({ query: q, state: 'done', places: body.places });
          setActive(0);
        },
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          console.warn('settlement search failed', error);
          setAnswer({ query: q, state: 'failed' });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query, token]);

  const current = answer?.query === query.trim() ? answer : undefined;
  const places = current?.state === 'done' ? current.places : [];
  const pick = (place: PlaceMatch | undefined): void => {
    if (!place) return;
    useUi.getState().goToPosition(place);
    setQuery(place.name);
    setOpen(false);
  };
  const shown = open && current !== undefined;

  return (
    <div className="place-search" role="search">
      <input
        type="search"
        role="combobox"
        aria-label={t.placeSearch.label}
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown && places[active] ? `${listId}-${active}` : undefined}
        placeholder={t.placeSearch.placeholder}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, places.length - 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
          else if (e.key === 'Enter') pick(places[active]);
          else if (e.key === 'Escape') setOpen(false);
          else return;
          e.preventDefault();
        }}
      />
      {shown && (
        <ul id={listId} role="listbox" aria-label={t.placeSearch.suggestions} className="place-suggestions">
          {current.state === 'failed' && <li className="muted">{t.placeSearch.failed}</li>}
          {current.state === 'done' && places.length === 0 && <li className="muted">{t.placeSearch.none}</li>}
          {places.map((place, i) => (
            <li
              key={`${place.name}-${place.lon}-${place.lat}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: the input's blur would otherwise close the list first.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(place);
              }}
            >
              <span className="place-name">{place.name}</span> <span className="muted">{t.placeSearch.where(place.admin1, place.countryCode)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
