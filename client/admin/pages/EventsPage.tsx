import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EventView } from '../../../shared/api/bookings.ts';
import { browserTimeZone } from '../../ui/format.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { BookingLimitControl } from './BookingLimitControl.tsx';
import { CreateEventForm } from './CreateEventForm.tsx';
import { EventSlots } from './EventSlots.tsx';
import { SelectField } from './SelectField.tsx';
import { type StoreSummary, useStores } from './use-stores.ts';
import { WaitingRoomControl } from './WaitingRoomControl.tsx';
import './controls.css';

/** The stores' one zone, when they share it: an event's release is then told in it. */
function sharedZone(stores: StoreSummary[]): string | undefined {
  const zones = new Set(stores.map((s) => s.timeZone));
  return zones.size === 1 ? [...zones][0] : undefined;
}

/** Appointment events: create one with its slots, then manage each slot's seats and bookings. */
export function EventsPage({ api }: { api: AdminApi }) {
  const { stores, error: storesError } = useStores(api);
  const [events, setEvents] = useState<EventView[]>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState('');
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string>();
  // The first day of the slots just created: their list opens there.
  const [createdDay, setCreatedDay] = useState<string>();

  const load = useCallback(async () => {
    try {
      const body = await api.get<{ events: EventView[] }>('/api/events');
      setEvents(body.events);
      setSelected((current) => current || body.events[0]?.id || '');
      setError(undefined);
    } catch (failure) {
      setError(describeFailure(failure));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);
  const takenIds = useMemo(() => new Set(events?.map((e) => e.id)), [events]);
  const event = events?.find((e) => e.id === selected);

  return (
    <div className="controls stack">
      <div className="row spread">
        <h1>Events and slots</h1>
        {!creating && stores && stores.length > 0 && (
          <button type="button" onClick={() => setCreating(true)}>
            New event
          </button>
        )}
      </div>
      {(error || storesError) && (
        <p className="error" role="alert">
          Could not load {error ? 'the events' : 'the stores'}: {error ?? storesError}
        </p>
      )}
      <div aria-live="polite">{notice && <p className="notice ok">{notice}</p>}</div>
      {creating && stores && (
        <CreateEventForm
          api={api}
          stores={stores}
          takenIds={takenIds}
          onCancel={() => setCreating(false)}
          onCreated={(eventId, message, firstDate) => {
            setCreating(false);
            setNotice(message);
            setCreatedDay(firstDate);
            setSelected(eventId);
            void load();
          }}
        />
      )}
      {events === undefined && !error && <p className="muted">Loading events…</p>}
      {events?.length === 0 && !creating && (
        <p className="muted">No events yet. Create one with “New event”.</p>
      )}
      {events && events.length > 0 && (
        <SelectField label="Event" value={selected} onChange={setSelected} inline>
          {events.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </SelectField>
      )}
      {event && <p className="muted">Slots open for booking at midnight store time the day before.</p>}
      {event && (
        <BookingLimitControl
          key={`limit-${event.id}`}
          api={api}
          event={event}
          onSaved={(saved) => setEvents((list) => list?.map((e) => (e.id === saved.id ? saved : e)))}
        />
      )}
      {event && stores && (
        <WaitingRoomControl
          key={`room-${event.id}`}
          api={api}
          eventId={event.id}
          timeZone={sharedZone(stores) ?? browserTimeZone()}
        />
      )}
      {event && stores && (
        <EventSlots key={event.id} api={api} eventId={event.id} stores={stores} initialDate={createdDay} />
      )}
    </div>
  );
}
