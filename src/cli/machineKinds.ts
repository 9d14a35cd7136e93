import type { AnyStateMachine } from 'xstate';
import { firewallSessionMachine } from '../models/firewallSessionMachine.ts';
import { gwlbFlowMachine } from '../models/gwlbFlowMachine.ts';
import { tcpEndpointMachine } from '../models/tcpEndpointMachine.ts';

/** The machine kinds `midpath graph` draws and the reports include, by the name users type. */
export const MACHINE_KINDS: Readonly<Record<string, AnyStateMachine>> = {
  tcpEndpoint: tcpEndpointMachine as AnyStateMachine,
  gwlbFlow: gwlbFlowMachine as AnyStateMachine,
  firewallSession: firewallSessionMachine as AnyStateMachine,
};
