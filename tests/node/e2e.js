// End-to-end checks of kvtgraph through the npm gremlin driver (3.8.2),
// run by tests/e2e (TestNodeGremlinJavaScript) against a server started
// with tests/e2e/testdata/e2e.yaml (gmodern: modern, g: an empty graph).
//
// Usage: node tests/node/e2e.js ws://127.0.0.1:PORT/gremlin
//        node tests/node/e2e.js ws://127.0.0.1:PORT/gremlin auth USER PASSWORD
//
// The auth form runs against an auth-enabled server instead: SASL PLAIN
// through the driver's PlainTextSaslAuthenticator with USER/PASSWORD (must
// work) and with a wrong password (must fail with 401 / unauthorized).
//
// Every check prints "ok <serializer> <check>"; the first failure prints
// "FAIL <serializer> <check>: <error>" and exits with status 1.
'use strict';
const assert = require('assert');
const crypto = require('crypto');
const gremlin = require('gremlin');

const { DriverRemoteConnection, Client } = gremlin.driver;
const { traversal } = gremlin.process.AnonymousTraversalSource;
const { P } = gremlin.process;
const __ = gremlin.process.statics;

const serializers = {
  graphbinary: 'application/vnd.graphbinary-v1.0',
  graphsonv3: 'application/vnd.gremlin-v3.0+json',
  graphsonv2: 'application/vnd.gremlin-v2.0+json',
};

const url = process.argv[2];
const mode = process.argv[3] || 'all';
if (!url || (mode !== 'all' && (mode !== 'auth' || process.argv.length !== 6))) {
  console.error('usage: node e2e.js ws://host:port/gremlin [auth USER PASSWORD]');
  process.exit(2);
}
const { PlainTextSaslAuthenticator } = gremlin.driver.auth;

// plain turns driver maps (Map, or objects for GraphSON v2) into objects
// with sorted keys, and numbers (Long may come as BigInt) into Numbers.
function plain(v) {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) v = Object.fromEntries(v);
  if (v && typeof v === 'object' && v.constructor === Object) {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = plain(v[k]);
    return out;
  }
  return v;
}

async function withRemote(mimeType, source, fn) {
  const conn = new DriverRemoteConnection(url, { mimeType, traversalSource: source });
  try {
    return await fn(traversal().withRemote(conn));
  } finally {
    await conn.close();
  }
}

async function withClient(options, fn) {
  const client = new Client(url, options);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

async function rows(client, script, bindings) {
  const rs = await client.submit(script, bindings);
  return rs.toArray().map(plain);
}

function checks(name, mimeType) {
  // A label of its own per serializer: the runs share the graph g.
  const label = 'node_' + name;
  return [
    ['bytecode-count', () => withRemote(mimeType, 'gmodern', async (g) => {
      assert.strictEqual(plain(await g.V().count().next()).value, 6);
      assert.strictEqual(plain(await g.E().count().next()).value, 6);
    })],
    ['bytecode-vertex', () => withRemote(mimeType, 'gmodern', async (g) => {
      const v = (await g.V().has('person', 'name', 'marko').next()).value;
      assert.ok(v instanceof gremlin.structure.Vertex, 'not a Vertex: ' + v);
      assert.strictEqual(Number(v.id), 1);
      assert.strictEqual(v.label, 'person');
      const e = (await g.V(1).outE('knows').has('weight', P.gt(0.9)).next()).value;
      assert.ok(e instanceof gremlin.structure.Edge, 'not an Edge: ' + e);
      assert.strictEqual(Number(e.id), 8);
      assert.strictEqual(Number(e.inV.id), 4);
    })],
    ['bytecode-valuemap', () => withRemote(mimeType, 'gmodern', async (g) => {
      const vm = await g.V().has('person', 'name', 'marko').valueMap('name', 'age').next();
      assert.deepStrictEqual(plain(vm.value), { age: [29], name: ['marko'] });
      const names = await g.V().hasLabel('person').has('age', P.between(27, 33)).values('name').order().toList();
      assert.deepStrictEqual(names, ['josh', 'marko', 'vadas']);
    })],
    ['bytecode-path', () => withRemote(mimeType, 'gmodern', async (g) => {
      const paths = await g.V().has('name', 'marko').out('knows').order().by('name').path().by('name').toList();
      assert.deepStrictEqual(paths.map((p) => p.objects), [['marko', 'josh'], ['marko', 'vadas']]);
      const full = await g.V(1).outE('created').inV().path().next();
      const [a, e, b] = full.value.objects;
      assert.deepStrictEqual([Number(a.id), e.label, Number(b.id)], [1, 'created', 3]);
    })],
    ['bytecode-write', () => withRemote(mimeType, 'g', async (g) => {
      await g.addV(label).property('name', 'a').as('a')
        .addV(label).property('name', 'b').addE('link').from_('a').property('w', 7).iterate();
      return withRemote(mimeType, 'g', async (other) => {
        const got = await other.V().has(label, 'name', 'a').out('link').values('name').toList();
        assert.deepStrictEqual(got, ['b']);
        assert.strictEqual(plain((await other.E().hasLabel('link').where(__.outV().hasLabel(label)).values('w').next()).value), 7);
      });
    })],
    ['script-bindings', () => withClient({ mimeType, traversalSource: 'gmodern' }, async (c) => {
      assert.deepStrictEqual(await rows(c, "g.V().has('person', 'name', who).values('age')", { who: 'marko' }), [29]);
      const script = "m = g.V().has('name', who).next()\n" +
        "friends = g.V(m).out('knows').values('name').order().toList()\n" +
        'g.inject(friends).unfold()';
      assert.deepStrictEqual(await rows(c, script, { who: 'marko' }), ['josh', 'vadas']);
    })],
    ['script-session', () => {
      const session = crypto.randomUUID();
      return withClient({ mimeType, traversalSource: 'g', session }, (s) =>
        withClient({ mimeType, traversalSource: 'g' }, async (other) => {
          await rows(s, `v = g.addV('${label}_s').property('name', 'sessioned').next()`);
          assert.deepStrictEqual(await rows(s, 'g.V(v).values(\'name\')'), ['sessioned']);
          assert.deepStrictEqual(await rows(other, `g.V().hasLabel('${label}_s').count()`), [0]);
          await rows(s, 'g.tx().commit()');
          assert.deepStrictEqual(await rows(other, `g.V().hasLabel('${label}_s').values('name')`), ['sessioned']);
          await rows(s, `g.addV('${label}_s').property('name', 'gone').iterate()`);
          await rows(s, 'g.tx().rollback()');
          assert.deepStrictEqual(await rows(s, `g.V().hasLabel('${label}_s').count()`), [1]);
          assert.deepStrictEqual(await rows(s, 'g.V(v).id()').then((r) => r.length), 1);
        }));
    }],
    ['tx-rollback-commit', () => withRemote(mimeType, 'g', (g) => withRemote(mimeType, 'g', async (other) => {
      const txLabel = label + '_tx';
      const count = async (src) => plain((await src.V().hasLabel(txLabel).count().next()).value);
      let tx = g.tx();
      let gtx = tx.begin();
      await gtx.addV(txLabel).property('name', 'rolled').iterate();
      assert.strictEqual(await count(gtx), 1);
      assert.strictEqual(await count(other), 0);
      await tx.rollback();
      assert.strictEqual(await count(other), 0);
      tx = g.tx();
      gtx = tx.begin();
      await gtx.addV(txLabel).property('name', 'kept').iterate();
      await gtx.addV(txLabel).property('name', 'kept2').iterate();
      assert.strictEqual(await count(other), 0);
      await tx.commit();
      assert.strictEqual(await count(other), 2);
      assert.deepStrictEqual(await other.V().hasLabel(txLabel).values('name').order().toList(), ['kept', 'kept2']);
    }))],
  ];
}

// expectUnauthorized runs fn, which must fail with a 401 / unauthorized.
async function expectUnauthorized(fn) {
  let failed;
  try {
    await fn();
  } catch (err) {
    failed = err;
  }
  assert.ok(failed, 'bad credentials were accepted');
  const text = String(failed && failed.message) + ' ' + String(failed && failed.statusCode);
  assert.ok(/401|unauthori[sz]ed/i.test(text), 'error does not mention 401/unauthorized: ' + text);
}

function authChecks(name, mimeType) {
  const [user, password] = process.argv.slice(4);
  const good = () => new PlainTextSaslAuthenticator(user, password);
  const bad = () => new PlainTextSaslAuthenticator(user, password + '-wrong');
  return [
    ['auth-script', () => withClient({ mimeType, traversalSource: 'gmodern', authenticator: good() }, async (c) => {
      assert.deepStrictEqual(await rows(c, 'g.V().count()'), [6]);
      // The connection stays authenticated for later requests.
      assert.deepStrictEqual(await rows(c, "g.V().has('name', who).values('age')", { who: 'marko' }), [29]);
    })],
    ['auth-bytecode', async () => {
      const conn = new DriverRemoteConnection(url, { mimeType, traversalSource: 'gmodern', authenticator: good() });
      try {
        const g = traversal().withRemote(conn);
        assert.strictEqual(plain((await g.E().count().next()).value), 6);
      } finally {
        await conn.close();
      }
    }],
    ['auth-bad-password', () => withClient({ mimeType, traversalSource: 'gmodern', authenticator: bad() },
      (c) => expectUnauthorized(() => rows(c, 'g.V().count()')))],
    ['auth-none', () => withClient({ mimeType, traversalSource: 'gmodern' }, async (c) => {
      // Without an authenticator the driver cannot answer the 407 challenge.
      let failed;
      try {
        await rows(c, 'g.V().count()');
      } catch (err) {
        failed = err;
      }
      assert.ok(failed, 'a request without credentials was served');
    })],
  ];
}

async function main() {
  let n = 0;
  for (const [name, mimeType] of Object.entries(serializers)) {
    for (const [check, fn] of (mode === 'auth' ? authChecks : checks)(name, mimeType)) {
      try {
        await fn();
      } catch (err) {
        console.log(`FAIL ${name} ${check}: ${err && err.stack ? err.stack : err}`);
        process.exit(1);
      }
      console.log(`ok ${name} ${check}`);
      n++;
    }
  }
  console.log(`PASS ${n} checks`);
}

main().catch((err) => {
  console.log(`FAIL: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
