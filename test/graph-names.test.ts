import { strict as assert } from 'node:assert';
import { EmbeddedGraph } from '../graph/embedded';
import { expandTopicName, nodeKeyMatches, nodeLoggerName, validateTopicName } from '../graph/names';

describe('name resolution and remapping', () => {
  it('resolves relative names against the namespace, ~ against the node, and keeps absolute names', () => {
    assert.equal(expandTopicName('camera/image', 'cam', '/robot'), '/robot/camera/image');
    assert.equal(expandTopicName('camera/image', 'cam', '/'), '/camera/image');
    assert.equal(expandTopicName('~/status', 'cam', '/robot'), '/robot/cam/status');
    assert.equal(expandTopicName('~', 'cam', '/robot'), '/robot/cam');
    assert.equal(expandTopicName('/clock', 'cam', '/robot'), '/clock');
    assert.equal(expandTopicName('{node}/raw', 'cam', '/robot'), '/robot/cam/raw');
  });

  it('rejects invalid names and says why', () => {
    assert.throws(() => validateTopicName('camera image'), /invalid topic name 'camera image': it contains ' ' at index 6/);
    assert.throws(() => validateTopicName('camera/'), /it must not end with \//);
    assert.throws(() => validateTopicName('a//b'), /it must not contain \/\//);
    assert.throws(() => validateTopicName('3d/points'), /a name part must not start with a digit \('3d'\)/);
    assert.throws(() => validateTopicName('a/~b'), /'~' is only allowed at the start/);
    assert.throws(() => validateTopicName(''), /it must not be empty/);
  });

  it('gives nodes the namespace they ask for, made absolute, and dotted logger names', () => {
    const graph = new EmbeddedGraph({ logSink: () => undefined });
    const node = graph.createNode('camera', { namespace: 'robot/left' });
    assert.equal(node.namespace, '/robot/left');
    assert.equal(node.fullyQualifiedName, '/robot/left/camera');
    assert.equal(node.logger.name, 'robot.left.camera');
    assert.equal(nodeLoggerName('/', 'talker'), 'talker');
    assert.throws(() => graph.createNode('bad-name'), /node 'bad-name': invalid node name 'bad-name': it contains '-' at index 3/);
    assert.throws(() => graph.createNode('ok', { namespace: '/ns/' }), /invalid namespace '\/ns\/': it must not end with \//);
  });

  it('applies -r from:=to after expansion, matching fully qualified names exactly', () => {
    const graph = new EmbeddedGraph({ logSink: () => undefined });
    const node = graph.createNode('talker', { namespace: '/robot', arguments: ['--ros-args', '-r', 'chatter:=/shared/talk', '-r', '/robot/raw:=cooked'] });
    assert.equal(node.createPublisher('std_msgs/msg/String', 'chatter').topic, '/shared/talk');
    assert.equal(node.createPublisher('std_msgs/msg/String', '/robot/chatter').topic, '/shared/talk');
    assert.equal(node.createPublisher('std_msgs/msg/String', 'raw').topic, '/robot/cooked');
    assert.equal(node.createPublisher('std_msgs/msg/String', 'chatter2').topic, '/robot/chatter2');
  });

  it('renames a node with __node and moves it with __ns, and topics follow the new namespace', () => {
    const graph = new EmbeddedGraph({ logSink: () => undefined, arguments: ['--ros-args', '-r', '__ns:=/sim'] });
    const node = graph.createNode('talker', { arguments: ['--ros-args', '-r', '__node:=speaker'] });
    assert.equal(node.fullyQualifiedName, '/sim/speaker');
    assert.equal(node.createPublisher('std_msgs/msg/String', 'chatter').topic, '/sim/chatter');
    assert.equal(node.createPublisher('std_msgs/msg/String', '~/state').topic, '/sim/speaker/state');
  });

  it('applies node-scoped remaps only to the node they name, global ones after local ones', () => {
    const graph = new EmbeddedGraph({
      logSink: () => undefined,
      arguments: ['--ros-args', '-r', 'listener:chatter:=heard', '-r', 'chatter:=global', '-r', 'talker:__node:=speaker'],
    });
    const talker = graph.createNode('talker', { arguments: ['--ros-args', '-r', 'chatter:=local'] });
    const listener = graph.createNode('listener');
    assert.equal(talker.name, 'speaker');
    assert.equal(listener.name, 'listener');
    assert.equal(talker.createPublisher('std_msgs/msg/String', 'chatter').topic, '/local');
    assert.equal(listener.createPublisher('std_msgs/msg/String', 'chatter').topic, '/heard');
    assert.equal(graph.createNode('other').createPublisher('std_msgs/msg/String', 'chatter').topic, '/global');
  });

  it('matches parameter-file node keys like rclcpp, with wildcards', () => {
    assert.ok(nodeKeyMatches('/**', '/a/b/talker'));
    assert.ok(nodeKeyMatches('talker', '/talker'));
    assert.ok(!nodeKeyMatches('talker', '/ns/talker'));
    assert.ok(nodeKeyMatches('/ns/*', '/ns/talker'));
    assert.ok(!nodeKeyMatches('/ns/*', '/ns/a/talker'));
    assert.ok(nodeKeyMatches('/**/talker', '/ns/a/talker'));
  });
});
