#!/usr/bin/env node
// Where a Folio node's CPU went: reads `jfr print --events jdk.ExecutionSample --stack-depth N`
// from stdin (a recording of benchmark-pipeline with FOLIO_BENCH_JFR=1) and prints one Markdown
// table: the share of the samples by what the code was doing. A sample counts for the library at
// work (the first frame, from the running one down, that a category names), not whoever called it;
// except that a stack anywhere in a context capture or the metrics endpoint counts for those. Only
// Java threads are sampled (not GC or the JIT compiler).
//   jfr print --events jdk.ExecutionSample --stack-depth 48 node-0.jfr | node jfr-summary.mjs "node A"
import { createInterface } from 'node:readline';

// Marked by a frame anywhere in the stack: what a leaf frame would hide (the class loader a
// ServiceLoader scan runs in, the JSON writer the metrics endpoint uses).
const wholeStack = [
  [
    'context capture (managed executors: ServiceLoader)',
    ['org.glassfish.concurrent.runtime.ContextSetupProviderImpl', 'java.util.ServiceLoader'],
  ],
  ['metrics endpoint (GET /metrics)', ['fish.payara.microprofile.metrics.']],
];
// Otherwise the first frame, from the running one down, that one of these matches.
const categories = [
  ['JSON (Parsson, JSON-P)', ['org.eclipse.parsson.', 'jakarta.json.', 'org.glassfish.json.']],
  ['LSEQ and Folio', ['dev.folio.']],
  ['Kafka client', ['org.apache.kafka.']],
  ['DynamoDB event log (AWS SDK)', ['software.amazon.']],
  ['JMS: Artemis client and adapter', ['org.apache.activemq.']],
  ['transactions (JTS/JTA)', ['com.sun.jts.', 'com.sun.enterprise.transaction.']],
  ['JPA and JDBC', ['org.eclipse.persistence.', 'org.postgresql.', 'com.sun.gjc.']],
  ['WebSocket and HTTP (Tyrus, Grizzly)', ['org.glassfish.tyrus.', 'org.glassfish.grizzly.']],
  ['EJB, CDI, connectors (container)', ['com.sun.ejb.', 'org.jboss.weld.', 'com.sun.enterprise.', 'org.glassfish.']],
  ['networking and I/O (JDK, Netty)', ['sun.nio.', 'java.nio.', 'io.netty.']],
];
const other = 'other (JDK, Payara, ...)';
const counts = new Map([...wholeStack, ...categories].map(([name]) => [name, 0]).concat([[other, 0]]));
let frames = [];
let inStack = false;
let samples = 0;

const classify = () => {
  for (const [name, prefixes] of wholeStack) {
    if (frames.some((frame) => prefixes.some((p) => frame.startsWith(p)))) return name;
  }
  for (const frame of frames) {
    for (const [name, prefixes] of categories) {
      if (prefixes.some((p) => frame.startsWith(p))) return name;
    }
  }
  return other;
};

for await (const line of createInterface({ input: process.stdin })) {
  const text = line.trim();
  if (text.startsWith('stackTrace = [')) {
    inStack = true;
    frames = [];
  } else if (inStack && text.startsWith(']')) {
    inStack = false;
    samples++;
    const name = classify();
    counts.set(name, counts.get(name) + 1);
  } else if (inStack && text !== '...') {
    frames.push(text);
  }
}

const label = process.argv[2] ?? 'node';
const rows = [...counts].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
console.log(`${label}: ${samples} samples`);
console.log('');
console.log('| what the code was doing | share of samples |');
console.log('| --- | --- |');
for (const [name, n] of rows) console.log(`| ${name} | ${((100 * n) / samples).toFixed(1)} % |`);
console.log('');
