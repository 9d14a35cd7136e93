import { PROMELA_HOP_KINDS, PROMELA_PROPERTIES } from '../reporting/promela.ts';

/** Help text of `midpath export`. */
export const EXPORT_USAGE = `Usage: midpath export --promela <scenario-file|preset> [--out FILE] [--property ID] [--ticks-per-second N]

Writes an equivalent Promela model of the scenario, so SPIN can check it as a
second opinion. Time is discrete (whole seconds by default), so violation
windows are integer-rounded; the model's header lists every abstraction.
It covers every path of 1..8 hops, in any order, of every hop type
(${PROMELA_HOP_KINDS.join(', ')});
a hop type without a rendering would be refused with exit 2, naming path[i].type.

  spin -DCHECK_DROP -a model.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan -m1000000

Options:
  --promela            the format (the only one so far)
  --out FILE           write to FILE instead of standard output
  --property ID        build the model for one property: ${PROMELA_PROPERTIES.map((p) => p.id).join(', ')}
                       (default: all four; select one with spin -DCHECK_DROP, -DCHECK_RESET, -DCHECK_HALF_OPEN, -DCHECK_CLEAN_CLOSE)
  --ticks-per-second N clock resolution (default 1; sub-second constants are rounded and listed)
  -h, --help           show this help`;
