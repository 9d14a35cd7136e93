/**
 * Runs a lab scenario on the model: midpath's concrete simulator (real xstate
 * actors on a simulated clock, src/system/simulator.ts) with the same scaled
 * topology, client schedule and GWLB target choices as the real run.
 */
import type { Role, Segment } from '../src/models/segment.ts';
import { Simulator, type TargetChooser } from '../src/system/simulator.ts';
import type { AppEventType } from '../src/system/components.ts';
import type { LabAction, LabScenario } from './labScenario.ts';
import type { DropPlace, EndpointObservation, EndpointOutcome, Observation, ObservedAction, ObservedSegment, SessionEnd, SessionObservation, SessionState } from './observation.ts';

/** Resolution (ms) at which the model's component states are sampled. */
const STEP_MS = 5;

const APP_EVENT: Readonly<Record<LabAction['action'], AppEventType>> = { connect: 'APP_CONNECT', send: 'APP_SEND', close: 'APP_CLOSE' };

/** The forced chooser: the SYN's flow goes to appliance 0, every later new flow to `repin`. */
export function forcedChooser(repin: 0 | 1): TargetChooser {
  return (_conn: number, seg: Segment) => (seg.kind === 'syn' ? 0 : repin);
}

/** Outcome of a model endpoint state (see {@link EndpointOutcome}). */
export function modelEndpointOutcome(state: string, endLog: string | undefined): EndpointOutcome {
  switch (state) {
    case 'closed':
    case 'listen':
    case 'synSent':
    case 'synReceived':
      return 'connecting';
    case 'established':
    case 'closeWait':
      return 'open';
    case 'finWait1':
    case 'finWait2':
    case 'closing':
    case 'lastAck':
      return 'closing';
    case 'timeWait':
      return 'closed';
    case 'ended':
      return endLog === 'reset-received' ? 'reset' : endLog === 'retransmit-timeout' || endLog === 'keepalive-timeout' ? 'timeout' : 'closed';
    default:
      return 'open';
  }
}

function sessionState(top: string): SessionState {
  if (top === 'none') return 'none';
  if (top === 'halfClosed' || top === 'timeWait') return 'closing';
  return 'open';
}

function sessionEnd(reason: string): SessionEnd {
  return reason === 'aged-out' ? 'aged-out' : reason === 'tcp-fin' ? 'tcp-fin' : 'tcp-rst';
}

/** Endpoint observation from sampled states and the time-ordered end logs. */
export function endpointFromStates(states: readonly { t: number; state: string }[], outcomeOf: (state: string) => EndpointOutcome, detail: string | undefined): EndpointObservation {
  const last = states[states.length - 1];
  const outcome = last === undefined ? 'connecting' : outcomeOf(last.state);
  let at: number | null = null;
  for (let i = states.length - 1; i >= 0; i--) {
    if (outcomeOf(states[i]!.state) !== outcome) break;
    at = states[i]!.t;
  }
  if (outcome === 'connecting') at = null;
  return { outcome, at, ...(detail === undefined || (outcome !== 'timeout' && outcome !== 'reset') ? {} : { detail }), states };
}

/**
 * Runs the model. `chooser` decides the appliance of every new GWLB flow
 * (default: the scenario's forced choice).
 */
export function runModel(sc: LabScenario, chooser?: TargetChooser): Observation {
  const choose: TargetChooser = chooser ?? (sc.choice.mode === 'forced' ? forcedChooser(sc.choice.repin) : forcedChooser(1));
  const sim = new Simulator(sc.topology, choose);
  let now = 0;
  const states: Record<Role, { t: number; state: string }[]> = { client: [], server: [] };
  const sessionStates: [{ t: number; state: string }[], { t: number; state: string }[]] = [[], []];
  const record = (): void => {
    const t = now / 1000;
    for (const role of ['client', 'server'] as const) {
      const s = sim.endpointState(0, role);
      const list = states[role];
      if (list[list.length - 1]?.state !== s) list.push({ t, state: s });
    }
    const all = sim.states();
    for (const k of [0, 1] as const) {
      const s = (all[`appliance${k}.c0`] ?? 'none').split('.')[0]!;
      const list = sessionStates[k];
      if (list[list.length - 1]?.state !== s) list.push({ t, state: s });
    }
  };
  const advance = (to: number): void => {
    while (now < to) {
      now = Math.min(now + STEP_MS, to);
      sim.advanceTo(now);
      record();
    }
  };
  record();
  const actions: ObservedAction[] = [];
  for (const a of [...sc.schedule].sort((x, y) => x.t - y.t)) {
    advance(Math.round(a.t * 1000));
    const accepted = sim.act(0, 'client', APP_EVENT[a.action]);
    record();
    actions.push({ t: a.t, action: a.action, accepted });
  }
  advance(Math.round(sc.horizon * 1000));

  const segments: ObservedSegment[] = [];
  const logs: { t: number; component: string; reason: string }[] = [];
  for (const e of sim.events) {
    if (e.kind === 'log') logs.push({ t: e.time / 1000, component: e.log.component, reason: e.log.reason });
    if (e.kind !== 'segment' || e.seg.injected) continue;
    const fwd = e.hops.find((h) => h.component.startsWith('gwlb') && h.action === 'forward');
    const appliance = fwd?.target === 0 || fwd?.target === 1 ? fwd.target : null;
    const drop = e.hops.find((h) => h.action === 'drop');
    const dropAt: DropPlace | undefined = drop === undefined ? undefined : drop.component.startsWith('gwlb') ? 'gwlb' : drop.component.startsWith('appliance1') ? 'appliance1' : 'appliance0';
    segments.push({
      t: e.time / 1000,
      from: e.seg.from,
      kind: e.seg.kind,
      retransmit: e.seg.retransmit === true,
      appliance,
      fate: e.outcome,
      ...(dropAt === undefined ? {} : { dropAt }),
    });
  }
  const endLog = (name: string): string | undefined => logs.filter((l) => l.component === name && l.reason !== 'aged-out' && l.reason !== 'tcp-fin' && !l.reason.startsWith('tcp-rst')).at(-1)?.reason;
  const endpoint = (role: Role): EndpointObservation => {
    const log = endLog(`${role}0`);
    return endpointFromStates(states[role], (s) => modelEndpointOutcome(s, log), log);
  };
  const session = (k: 0 | 1): SessionObservation => {
    const list = sessionStates[k];
    return {
      seen: list.some((s) => s.state !== 'none'),
      ends: logs.filter((l) => l.component === `appliance${k}.c0`).map((l) => ({ t: l.t, reason: sessionEnd(l.reason) })),
      atHorizon: sessionState(list[list.length - 1]?.state ?? 'none'),
    };
  };
  return { segments, client: endpoint('client'), server: endpoint('server'), sessions: [session(0), session(1)], actions };
}
