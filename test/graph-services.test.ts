import { strict as assert } from 'node:assert';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs } from '../graph/logging';
import type { StartEpisode_Request } from '../graph/messages';

const REQUEST: StartEpisode_Request = { scenario: 'kitchen', seed: 7, mistake: 'none', scene_json: '' };

function setup(): { graph: EmbeddedGraph; logs: ReturnType<typeof captureLogs> } {
  const logs = captureLogs();
  return { graph: new EmbeddedGraph({ logSink: logs.sink }), logs };
}

describe('embedded services', () => {
  it('answers a call through the executor with the checked response', async () => {
    const { graph } = setup();
    graph.createNode('sim', { namespace: 'h2r' }).createService('h2r_interfaces/srv/StartEpisode', 'start_episode', (request) => ({
      accepted: true,
      episode_id: `${request.scenario}-${request.seed}`,
      message: '',
    }));
    const client = graph.createNode('cli', { namespace: 'h2r' }).createClient('h2r_interfaces/srv/StartEpisode', 'start_episode');
    assert.equal(await client.waitForService(100), true);
    assert.deepEqual(await client.call(REQUEST), { accepted: true, episode_id: 'kitchen-7', message: '' });
  });

  it('times out a call to a missing service with an error naming it', async () => {
    const { graph } = setup();
    const client = graph.createNode('cli').createClient('h2r_interfaces/srv/StartEpisode', 'start_episode');
    assert.equal(await client.waitForService(20), false);
    await assert.rejects(client.call(REQUEST, 50), {
      message: "service '/start_episode' (h2r_interfaces/srv/StartEpisode) is not available: no server appeared within 50 ms",
    });
  });

  it('serves a call made before the server appeared once it does', async () => {
    const { graph } = setup();
    const client = graph.createNode('cli').createClient('h2r_interfaces/srv/StartEpisode', 'start_episode');
    const answer = client.call(REQUEST, 1000);
    graph.createNode('sim').createService('h2r_interfaces/srv/StartEpisode', 'start_episode', async () => ({ accepted: false, episode_id: '', message: 'busy' }));
    assert.equal((await answer).message, 'busy');
  });

  it('passes a handler exception or rejection to the caller as an error, and logs it on the server', async () => {
    const { graph, logs } = setup();
    const sim = graph.createNode('sim');
    sim.createService('h2r_interfaces/srv/StartEpisode', 'start_episode', (request) => {
      if (request.seed === 7) throw new Error('unknown scenario file');
      return { accepted: true, episode_id: 'e', message: '' };
    });
    sim.createService('h2r_interfaces/srv/StartEpisode', 'start_async', async () => {
      throw new Error('simulator offline');
    });
    const cli = graph.createNode('cli');
    await assert.rejects(cli.createClient('h2r_interfaces/srv/StartEpisode', 'start_episode').call(REQUEST), {
      message: "service '/start_episode' (h2r_interfaces/srv/StartEpisode) failed in its handler: unknown scenario file",
    });
    await assert.rejects(cli.createClient('h2r_interfaces/srv/StartEpisode', 'start_async').call(REQUEST), /failed in its handler: simulator offline/);
    assert.ok(logs.lines.some((l) => l.startsWith('[ERROR]') && l.includes('[sim]: service \'/start_episode\'')));
  });

  it('rejects an invalid request before sending and an invalid response after the handler', async () => {
    const { graph } = setup();
    graph.createNode('sim').createService('h2r_interfaces/srv/StartEpisode', 'start_episode', () => ({ accepted: 'yes' }) as never);
    const client = graph.createNode('cli').createClient('h2r_interfaces/srv/StartEpisode', 'start_episode');
    await assert.rejects(client.call({ ...REQUEST, seed: -3 }), /h2r_interfaces\/srv\/StartEpisode_Request\.seed: uint32 value -3 is out of range/);
    await assert.rejects(client.call(REQUEST), {
      message:
        "service '/start_episode' (h2r_interfaces/srv/StartEpisode) returned an invalid response: " +
        'h2r_interfaces/srv/StartEpisode_Response.accepted: expected bool but got string',
    });
  });

  it('refuses a second server for one name and a client of another type', () => {
    const { graph } = setup();
    graph.createNode('sim').createService('h2r_interfaces/srv/StartEpisode', 'start_episode', () => ({ accepted: true, episode_id: '', message: '' }));
    assert.throws(
      () => graph.createNode('sim2').createService('h2r_interfaces/srv/StartEpisode', 'start_episode', () => ({ accepted: true, episode_id: '', message: '' })),
      /service '\/start_episode' is already provided by \/sim/,
    );
    const cli = graph.createNode('cli');
    assert.throws(() => cli.createClient('std_srvs/srv/Trigger' as never, 'start_episode'), {
      message:
        "type mismatch on service '/start_episode': cannot create a client of std_srvs/srv/Trigger for /cli; " +
        'the service is h2r_interfaces/srv/StartEpisode (server of /sim)',
    });
    assert.throws(() => cli.createClient('std_srvs/srv/Trigger' as never, 'trigger'), /unknown service type 'std_srvs\/srv\/Trigger'/);
  });
});
