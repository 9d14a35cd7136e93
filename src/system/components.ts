import type { AnyStateMachine } from 'xstate';
import { firewallSessionMachine } from '../models/firewallSessionMachine.ts';
import { gwlbFlowMachine } from '../models/gwlbFlowMachine.ts';
import { tcpEndpointMachine } from '../models/tcpEndpointMachine.ts';
import type { Role } from '../models/segment.ts';
import { ComponentLogic } from './componentLogic.ts';
import { endpointSettings, type Boundary, type Topology } from './topology.ts';

/** Application (environment) events an endpoint accepts. */
export type AppEventType = 'APP_CONNECT' | 'APP_SEND' | 'APP_CLOSE';

/** The kinds of component instance in a GWLB topology. */
export type ComponentKind = 'endpoint' | 'gwlbFlow' | 'session';

/** One machine instance of the composed system. */
export interface ComponentInstance {
  readonly index: number;
  readonly name: string;
  readonly kind: ComponentKind;
  readonly logic: ComponentLogic;
  /** Endpoint: role and connection. */
  readonly role?: Role;
  readonly conn?: number;
  /** Session: appliance index. */
  readonly appliance?: number;
  /** Middleboxes: timer boundary semantics (domain-facts §10). */
  readonly boundary: Boundary;
}

/** The instances of a topology and how they connect. */
export interface Layout {
  readonly topology: Topology;
  readonly components: readonly ComponentInstance[];
  /** endpoint[conn][0 = client, 1 = server] → component index. */
  readonly endpoint: readonly (readonly [number, number])[];
  /** flowOf[conn] → component index of the GWLB flow entry the connection's key maps to. */
  readonly flowOf: readonly number[];
  /** session[appliance][conn] → component index. */
  readonly session: readonly (readonly number[])[];
  /** All flow component indices. */
  readonly flows: readonly number[];
}

/**
 * The machines a layout instantiates; tests swap in deliberately broken
 * variants (mutants) to show that each property can fail.
 */
export interface MachineSet {
  readonly endpoint: AnyStateMachine;
  readonly gwlbFlow: AnyStateMachine;
  readonly session: AnyStateMachine;
}

/** The real models. */
export const defaultMachines: MachineSet = {
  endpoint: tcpEndpointMachine as AnyStateMachine,
  gwlbFlow: gwlbFlowMachine as AnyStateMachine,
  session: firewallSessionMachine as AnyStateMachine,
};

/**
 * Builds the component instances of a topology: a client and a server
 * endpoint per connection, one GWLB flow entry per stickiness key (one per
 * connection for 5-tuple; one shared entry for 3- and 2-tuple, since all
 * connections run between the same two addresses over TCP: domain-facts
 * §1.3), and one firewall session per (appliance, connection).
 */
export function buildLayout(t: Topology, machines: MachineSet = defaultMachines): Layout {
  const components: ComponentInstance[] = [];
  const add = (c: Omit<ComponentInstance, 'index'>): number => {
    components.push({ ...c, index: components.length });
    return components.length - 1;
  };
  const endpoint: [number, number][] = [];
  for (let c = 0; c < t.connections; c++) {
    const client = add({
      name: `client${c}`,
      kind: 'endpoint',
      role: 'client',
      conn: c,
      boundary: 'ambiguous',
      logic: new ComponentLogic('client', machines.endpoint, { ...endpointSettings(t, c, 'client'), role: 'client', conn: c }),
    });
    const server = add({
      name: `server${c}`,
      kind: 'endpoint',
      role: 'server',
      conn: c,
      boundary: 'ambiguous',
      logic: new ComponentLogic('server', machines.endpoint, { ...endpointSettings(t, c, 'server'), role: 'server', conn: c }),
    });
    endpoint.push([client, server]);
  }
  const gwlbInput = {
    idleTimeout: t.gwlb.idleTimeout,
    targets: t.appliances.count,
    stickiness: t.gwlb.stickiness,
    unknownNonSyn: t.gwlb.unknownNonSyn,
    resetOnIdleTimeout: t.gwlb.resetOnIdleTimeout,
  };
  const flowLogic = new ComponentLogic('gwlbFlow', machines.gwlbFlow, gwlbInput);
  const flowOf: number[] = [];
  const flows: number[] = [];
  const shared = t.gwlb.stickiness !== '5-tuple';
  for (let c = 0; c < t.connections; c++) {
    if (shared && c > 0) {
      flowOf.push(flowOf[0]!);
      continue;
    }
    const f = add({ name: shared ? 'gwlb.flow' : `gwlb.flow${c}`, kind: 'gwlbFlow', boundary: t.gwlb.boundary, logic: flowLogic });
    flowOf.push(f);
    flows.push(f);
  }
  const sessionLogic = Array.from(
    { length: t.connections },
    (_, c) => new ComponentLogic('session', machines.session, { ...t.appliances.firewall, conn: c }),
  );
  const session: number[][] = [];
  for (let a = 0; a < t.appliances.count; a++) {
    const row: number[] = [];
    for (let c = 0; c < t.connections; c++) {
      row.push(
        add({ name: `appliance${a}.c${c}`, kind: 'session', appliance: a, conn: c, boundary: t.appliances.boundary, logic: sessionLogic[c]! }),
      );
    }
    session.push(row);
  }
  return { topology: t, components, endpoint, flowOf, session, flows };
}
