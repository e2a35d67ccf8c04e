/**
 * The tree behind `CancellationToken` (cancellation-token.ts is only its public face): one
 * `TokenNode` per token, with its parent, its state and its listeners.
 *
 * Invariants:
 * - A node is cancelled when it, or any ancestor, was cancelled; once cancelled it stays so
 *   and keeps the reason it first saw. A child never cancels its parent.
 * - Listeners (pending `cancelled()` and `runUntilCancelled()` futures, and child nodes that
 *   have listeners themselves) live in `listeners`. A node is registered in its parent's
 *   listeners exactly while it is uncancelled and *interested*: it has listeners, or its
 *   `signal` was created. A child nobody waits on is not registered at all (its `isCancelled`
 *   reads up the parent chain instead), so children that are thrown away never pile up in the
 *   parent; a future that is dropped or finishes removes itself at once.
 * - `cancelTree` detaches each listener set before notifying anyone, so listeners may
 *   unregister or register re-entrantly; each listener is notified at most once. A cancelled
 *   subtree is notified depth first (each node's listeners in registration order, a child's
 *   before its parent's signal aborts).
 * - Chains of any depth (a `child()` of a `child()` … a hundred thousand deep) are walked with
 *   loops, never recursion: reading `isCancelled` walks up, registering and unregistering walk
 *   up, cancelling walks down with an explicit stack.
 * - `isCancelled` is O(1) while no node anywhere was cancelled since this one last found itself
 *   uncancelled: `cancelEpoch` counts cancellations, `uncancelledAt` remembers the epoch of
 *   that last check (a cancellation can only happen by bumping the epoch).
 * - The `AbortSignal` is created on first read; it is aborted (with the reason) on cancel.
 * @module
 */
import { reportUnhandled } from "../core/unhandled.js";

/** Something told when a token is cancelled. */
export interface Listener {
  onCancel(): void;
}

type Entry = Listener | TokenNode;

/** Bumped by every cancellation, anywhere: see `uncancelledAt`. */
let cancelEpoch = 0;

/** @internal One token of the tree; see the module invariants. */
export class TokenNode {
  parent: TokenNode | undefined = undefined;
  cancelled = false;
  reason: unknown = undefined;
  listeners: Set<Entry> | undefined = undefined;
  controller: AbortController | undefined = undefined;
  registered = false;
  /** The `cancelEpoch` at which this node was last found uncancelled (-1: never checked). */
  uncancelledAt = -1;

  get isCancelled(): boolean {
    if (this.cancelled) return true;
    if (this.uncancelledAt === cancelEpoch) return false;
    // Walk up to the first cancelled ancestor, or to one known uncancelled at this epoch.
    let ancestor = this.parent;
    while (
      ancestor !== undefined &&
      !ancestor.cancelled &&
      ancestor.uncancelledAt !== cancelEpoch
    ) {
      ancestor = ancestor.parent;
    }
    if (ancestor === undefined || !ancestor.cancelled) {
      this.uncancelledAt = cancelEpoch;
      return false;
    }
    // Catch up from the top down. The nodes on the way are normally uninterested (an
    // interested one is cancelled with its ancestor), so this notifies nobody; but a listener
    // reading this during that very cancel can get here first, and its subtree is notified.
    const path: TokenNode[] = [];
    for (let t: TokenNode = this; t !== ancestor; t = t.parent as TokenNode) path.push(t);
    const reason = ancestor.reason;
    for (let i = path.length - 1; i >= 0; i--) {
      const t = path[i] as TokenNode;
      if (!t.cancelled) cancelTree(t, reason);
    }
    return true;
  }

  /** The reason, once cancelled. */
  get cancelReason(): unknown {
    return this.isCancelled ? this.reason : undefined;
  }

  cancel(reason: unknown): void {
    if (!this.isCancelled) cancelTree(this, reason);
  }

  child(): TokenNode {
    const child = new TokenNode();
    if (this.isCancelled) {
      child.cancelled = true;
      child.reason = this.reason;
    } else {
      child.parent = this;
      child.uncancelledAt = cancelEpoch;
    }
    return child;
  }

  get signal(): AbortSignal {
    let controller = this.controller;
    if (controller === undefined) {
      controller = new AbortController();
      this.controller = controller;
      if (this.isCancelled) controller.abort(this.reason);
      else this.sync();
    }
    return controller.signal;
  }

  add(listener: Listener): void {
    if (this.isCancelled) {
      // Callers check first; this keeps a late listener from waiting forever regardless.
      listener.onCancel();
      return;
    }
    let listeners = this.listeners;
    if (listeners === undefined) {
      listeners = new Set();
      this.listeners = listeners;
    }
    listeners.add(listener);
    this.sync();
  }

  remove(listener: Entry): void {
    const listeners = this.listeners;
    if (listeners === undefined || !listeners.delete(listener)) return;
    if (listeners.size === 0) this.listeners = undefined;
    this.sync();
  }

  /**
   * Marks this node cancelled, detaches it from its parent and hands over its listeners (the
   * set, now detached) to be notified.
   */
  markCancelled(reason: unknown): Set<Entry> | undefined {
    cancelEpoch++;
    this.cancelled = true;
    this.reason = reason;
    const parent = this.parent;
    this.parent = undefined;
    if (this.registered && parent !== undefined) {
      this.registered = false;
      parent.remove(this);
    }
    const listeners = this.listeners;
    this.listeners = undefined;
    return listeners;
  }

  abortSignal(): void {
    const controller = this.controller;
    if (controller === undefined) return;
    try {
      controller.abort(this.reason);
    } catch (error) {
      reportUnhandled(error);
    }
  }

  /**
   * Registers with the parent while interested, unregisters when no longer, and so on up the
   * chain for every ancestor whose interest changes with it (a loop, not recursion).
   */
  sync(): void {
    let node: TokenNode = this;
    for (;;) {
      const parent = node.parent;
      if (parent === undefined || node.cancelled) return;
      const interested = node.listeners !== undefined || node.controller !== undefined;
      if (interested === node.registered) return;
      if (interested) {
        if (parent.cancelled) {
          // The parent's cancel already ran: catch up (this notifies our own listeners).
          cancelTree(node, parent.reason);
          return;
        }
        node.registered = true;
        let set = parent.listeners;
        if (set === undefined) {
          set = new Set();
          parent.listeners = set;
        }
        set.add(node);
      } else {
        node.registered = false;
        const set = parent.listeners;
        if (set === undefined || !set.delete(node)) return;
        if (set.size === 0) parent.listeners = undefined;
      }
      node = parent;
    }
  }
}

/**
 * Cancels `root` and its interested subtree: depth first with an explicit stack, a node's
 * listeners in order, a child's subtree in place, and each node's signal once its subtree is
 * done.
 */
function cancelTree(root: TokenNode, reason: unknown): void {
  const stack: { node: TokenNode; listeners: Iterator<Entry> | undefined }[] = [];
  let node = root;
  let listeners: Iterator<Entry> | undefined = root.markCancelled(reason)?.values();
  for (;;) {
    const next = listeners?.next();
    if (next === undefined || next.done === true) {
      node.abortSignal();
      const frame = stack.pop();
      if (frame === undefined) return;
      node = frame.node;
      listeners = frame.listeners;
      continue;
    }
    const listener = next.value;
    if (listener instanceof TokenNode) {
      listener.registered = false;
      if (listener.cancelled) continue;
      stack.push({ node, listeners });
      node = listener;
      listeners = listener.markCancelled(reason)?.values();
      continue;
    }
    try {
      listener.onCancel();
    } catch (error) {
      reportUnhandled(error);
    }
  }
}
