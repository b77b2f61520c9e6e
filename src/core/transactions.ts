/** The transactions subsystem (Seata). Filled in by the Seata adapters' issue. */
export interface TxBackend {
  readonly name: string;
}
