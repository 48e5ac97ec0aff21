/** Global test set-up: placeholder until the PostgreSQL harness lands. */
export default function setup(): void {}
