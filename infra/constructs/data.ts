// The notes table, shaped by the API definition's table so the stack and the local server agree on its keys.
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  Table,
  TableEncryption,
  type Attribute,
  type ITable,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition } from '../../local/definition';

export interface DataProps {
  table: TableDefinition;
  /** Deletion protection and RETAIN: for the production stage. */
  retain: boolean;
}

const ATTRIBUTE_TYPES: Record<KeyAttribute['type'], AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

function attribute(key: KeyAttribute): Attribute {
  if (!key?.name) {
    throw new Error('A table key needs a name');
  }
  const type = ATTRIBUTE_TYPES[key.type];
  if (!type) {
    throw new Error(`Key ${key.name} has type ${String(key.type)}; DynamoDB keys are S, N or B`);
  }
  return { name: key.name, type };
}

export class Data extends Construct {
  readonly table: ITable;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const definition = props.table;

    const table = new Table(this, 'Table', {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of definition.globalSecondaryIndexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
      });
    }
    this.table = table;
  }
}
