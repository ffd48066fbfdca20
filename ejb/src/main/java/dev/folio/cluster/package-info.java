/**
 * The nodes as each node sees them: {@code ClusterView} (every node heard from, with its last
 * {@code NodeStatus}) and {@code NodeCommand}s (an administrator's request to every node for one
 * document). The interfaces {@code NodeStatusBroadcast} and {@code NodeCommandBroadcast} say what
 * must reach the other nodes; {@code dev.folio.messaging} implements them. Plain values and CDI,
 * no Folio package.
 */
package dev.folio.cluster;
