import { BehaviorSubject } from 'rxjs';
import { reRegistration } from '../../lib/streams/re-registration.js';
import type { Registration } from '../../lib/streams/registration.js';
import { registeredPack, registration } from './fixtures.js';

describe('reRegistration: the registration known at once', () => {
  const first = registration(registeredPack('p1'), 1);
  const second = registration(registeredPack('p1'), 2);

  it('knows the latest registration while it follows them, none before', () => {
    const registration$ = new BehaviorSubject<Registration>(first);
    const step = reRegistration({ registration$ });
    expect(step.usableNow()).toBeUndefined();
    const changes = jasmine.createSpy('onChange');
    const following = step.track(changes);
    expect(step.usableNow()).toBe(first);
    registration$.next(second);
    expect(step.usableNow()).toBe(second);
    expect(changes).toHaveBeenCalledTimes(2);
    following.unsubscribe();
    registration$.next(registration(registeredPack('p1'), 3));
    expect(step.usableNow()).toBe(second);
  });

  it('knows none after the latest one answered 404, until a newer one comes', () => {
    const registration$ = new BehaviorSubject<Registration>(first);
    const reRegister = jasmine.createSpy('reRegister');
    const step = reRegistration({ registration$, reRegister });
    step.track(() => undefined);
    step.notFound(first);
    expect(reRegister).toHaveBeenCalledWith(first);
    expect(step.usableNow()).toBeUndefined();
    registration$.next(second);
    expect(step.usableNow()).toBe(second);
  });

  it('knows the latest registration its caller gives, without following them; none once it answered 404', () => {
    let latest: Registration | undefined;
    const registration$ = new BehaviorSubject<Registration>(first);
    const step = reRegistration({ registration$, latest: () => latest });
    expect(step.usableNow()).toBeUndefined();
    latest = first;
    expect(step.usableNow()).toBe(first);
    expect(registration$.observed).toBeFalse();
    step.notFound(first);
    expect(step.usableNow()).toBeUndefined();
    latest = second;
    expect(step.usableNow()).toBe(second);
  });
});
