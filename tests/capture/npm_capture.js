// Drives npm gremlin (3.8.2) through the capture scenarios against the
// listener of tests/capture (go run ./tests/capture -listen ADDR -out DIR).
// Usage: node npm_capture.js ws://127.0.0.1:PORT/gremlin MIME
// Run from a directory where `npm install gremlin@3.8.2` was done
// (NODE_PATH=/tmp/npmcap/node_modules).
'use strict';
const http = require('http');
const gremlin = require('gremlin');

const [url, mimeType] = process.argv.slice(2);
const base = url.replace(/^ws/, 'http').replace(/\/gremlin$/, '');
const { P, TextP, t, order, direction, scope, pop, column, cardinality, merge, operator, barrier, pick, dt } =
  gremlin.process;
const __ = gremlin.process.statics;
const { DriverRemoteConnection, Client } = gremlin.driver;
const { PartitionStrategy, SubgraphStrategy, ReadOnlyStrategy } = require('gremlin/lib/process/traversal-strategy');

const fixedUUID = '00112233-4455-6677-8899-aabbccddeeff';
const fixedSession = '6f1e1b2a-1111-4222-8333-944455556666';
const fixedDate = new Date(Date.UTC(2023, 7, 8, 10, 15, 30));

function get(path) {
  return new Promise((resolve, reject) => {
    http.get(base + path, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
  });
}
const label = (name) => get('/label?name=' + encodeURIComponent(name));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const remote = new DriverRemoteConnection(url, { mimeType });
  const g = gremlin.process.AnonymousTraversalSource.traversal().withRemote(remote);
  const steps = [
    ['bytecode_basic', () => g.V().has('person', 'name', 'marko').out('knows').values('name').toList()],
    ['bytecode_types', () => g.inject(1, 2.5, -7, 5000000000, 'str', true, null, fixedDate, [1, 'a'],
      new Map([['k', 1]]), new Set(['x'])).toList()],
    ['bytecode_predicates', () => g.V().has('age', P.gt(30)).has('name', P.within('marko', 'josh'))
      .has('name', TextP.containing('ar')).has('age', P.between(20, 40).and(P.neq(35)))
      .has('name', P.not(P.eq('x'))).toList()],
    ['bytecode_enums', () => g.V().order().by(t.id, order.desc).toE(direction.out).count(scope.local)
      .select(pop.all, 'a').select(column.keys).property(cardinality.list, 'k', 'v')
      .option(merge.onCreate, new Map([[t.label, 'person']])).sack(operator.sum).barrier(barrier.normSack)
      .option(pick.any, __.identity()).dateAdd(dt.day, 1).toList()],
    ['bytecode_anon', () => g.V().where(__.out('knows').has('name', 'josh')).repeat(__.out()).times(2).toList()],
    ['bytecode_strategies', () => g.withStrategies(
      new PartitionStrategy({ partitionKey: '_p', writePartition: 'a', readPartitions: ['a'] }),
      new SubgraphStrategy({ vertices: __.has('name', 'marko') }),
      new ReadOnlyStrategy()).with_('evaluationTimeout', 500).withSack(1).withSideEffect('x', 2).V().toList()],
    ['bytecode_iterate', () => g.addV('person').property('name', 'stephen').iterate()],
    ['eval_bindings', async () => {
      const c = new Client(url, { mimeType, traversalSource: 'g' });
      await c.submit('g.V(x).values(y)', { x: 1, y: 'name' });
      await c.close();
    }],
    ['eval_options', async () => {
      const c = new Client(url, { mimeType, traversalSource: 'gmodern' });
      await c.submit('g.V().limit(n)', { n: 5 }, { requestId: fixedUUID, batchSize: 16, evaluationTimeout: 1000 });
      await c.close();
    }],
    ['session_eval', async () => {
      const c = new Client(url, { mimeType, session: fixedSession });
      await c.submit('x = 1');
      await c.close();
    }],
    ['tx', async () => {
      const tx = g.tx();
      const gtx = tx.begin();
      await gtx.addV('person').property('name', 'tx').iterate();
      await tx.commit();
    }],
  ];
  for (const [name, run] of steps) {
    await label(name);
    await run();
    await sleep(50);
  }
  await remote.close();
  await get('/done');
}

main().catch(async (err) => {
  console.error(err);
  await get('/done').catch(() => {});
  process.exit(1);
});
