import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.js';
import { networkFailure, networkProblem, unreachable } from './network-failure.js';

const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const sysError = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.7:6379`), { code });

describe('network failures', () => {
  it('finds the system error behind fetch, inside an AggregateError too', () => {
    expect(networkProblem(fetchFailed(sysError('ENOTFOUND')))?.code).toBe('ENOTFOUND');
    const everyAddress = new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')]);
    expect(networkProblem(fetchFailed(everyAddress))?.code).toBe('ECONNREFUSED');
    expect(networkProblem(new DOMException('The operation timed out.', 'TimeoutError'))?.code).toBe('TIMEOUT');
  });

  it('leaves other errors alone: bugs, disk errors and domain errors', () => {
    expect(networkProblem(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBeUndefined();
    expect(networkProblem(sysError('EROFS'))).toBeUndefined();
    expect(networkProblem(new InvalidInputError('no'))).toBeUndefined();
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(networkProblem(loop)).toBeUndefined();
  });

  it('names the service and its host when one is known, and no host otherwise', () => {
    const named = unreachable('Discord', 'https://discord.com/api', networkProblem(fetchFailed(sysError('EAI_AGAIN')))!, 'post to the channel webhook', 'share again');
    expect(named.code).toBe('UNAVAILABLE');
    expect(named.message).toBe("could not reach Discord (discord.com) to post to the channel webhook: DNS did not answer (EAI_AGAIN); check the server's internet connection and DNS, then share again");
    const anonymous = networkFailure(sysError('ECONNREFUSED'));
    expect(anonymous?.code).toBe('UNAVAILABLE');
    expect(anonymous?.message).not.toMatch(/10\.0\.0\.7|6379/);
    expect(anonymous?.message).toMatch(/\(ECONNREFUSED\); an operator should check/);
  });
});
