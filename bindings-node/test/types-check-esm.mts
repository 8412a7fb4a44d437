// The same declarations seen by an ES module importing the package by name (through the
// "exports" map), as a deploy script written as .mjs/.mts would.
import { gate, scan, type GateResult, type Severity } from 'hipaa-aws'

export async function deployGate(endpointUrl: string, failOn: Severity): Promise<number> {
  const result: GateResult = gate(await scan({ endpointUrl, regions: ['us-east-1'] }), { failOn })
  return result.exitCode
}
