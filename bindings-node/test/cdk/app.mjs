// CDK apps for the preventive-mode tests: each control the converter covers gets a compliant
// resource in `Compliant` and a non-compliant one in `NonCompliant` (with a nested stack, whose
// parameters its parent passes), and `Live` holds resources whose properties moto applies, for
// the test that compares a template's findings with a scan of the same stack created in moto.
//
// Synthesized offline (no account, no network): `synth('phi-app', dir)` writes a cloud assembly.
import * as cdk from 'aws-cdk-lib'
import * as backup from 'aws-cdk-lib/aws-backup'
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as efs from 'aws-cdk-lib/aws-efs'
import * as events from 'aws-cdk-lib/aws-events'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as kms from 'aws-cdk-lib/aws-kms'
import * as logs from 'aws-cdk-lib/aws-logs'
import * as rds from 'aws-cdk-lib/aws-rds'
import * as s3 from 'aws-cdk-lib/aws-s3'
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import * as sns from 'aws-cdk-lib/aws-sns'
import * as sqs from 'aws-cdk-lib/aws-sqs'

const PHI = { key: 'DataClass', value: 'PHI' }
const phi = (construct) => cdk.Tags.of(construct).add(PHI.key, PHI.value)
const synthesizer = () => new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false })

class Compliant extends cdk.Stack {
  constructor(scope, id) {
    super(scope, id, { synthesizer: synthesizer() })
    // The plan below backs up what carries this tag: every resource of the stack.
    cdk.Tags.of(this).add('backup', 'daily')
    const key = new kms.Key(this, 'PhiKey', { enableKeyRotation: true, description: 'PHI data key' })
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] })

    const logs3 = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      enforceSSL: true,
      serverAccessLogsPrefix: 'self/',
    })
    cdk.Tags.of(logs3).add(PHI.key, 'logs')
    const replica = new s3.Bucket(this, 'Replica', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      enforceSSL: true,
      serverAccessLogsBucket: logs3,
    })
    cdk.Tags.of(replica).add(PHI.key, 'replica')
    const records = new s3.Bucket(this, 'Records', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      enforceSSL: true,
      objectLockEnabled: true,
      serverAccessLogsBucket: logs3,
      serverAccessLogsPrefix: 'records/',
      replicationRules: [{ destination: replica, priority: 1 }],
    })
    phi(records)

    const table = new dynamodb.Table(this, 'Patients', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      deletionProtection: true,
    })
    phi(table)

    const db = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
      storageEncryptionKey: key,
      backupRetention: cdk.Duration.days(14),
      multiAz: true,
      deletionProtection: true,
      iamAuthentication: true,
      autoMinorVersionUpgrade: true,
      cloudwatchLogsExports: ['postgresql'],
      credentials: rds.Credentials.fromGeneratedSecret('app', { encryptionKey: key }),
    })
    phi(db)
    const aurora = new rds.DatabaseCluster(this, 'Claims', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      writer: rds.ClusterInstance.provisioned('Writer', { publiclyAccessible: false }),
      readers: [rds.ClusterInstance.provisioned('Reader', { publiclyAccessible: false })],
      // The engine default group's TLS setting is not fixed for Aurora PostgreSQL: set it.
      parameters: { 'rds.force_ssl': '1' },
      storageEncrypted: true,
      storageEncryptionKey: key,
      backup: { retention: cdk.Duration.days(14) },
      deletionProtection: true,
      iamAuthentication: true,
      cloudwatchLogsExports: ['postgresql'],
      credentials: rds.Credentials.fromGeneratedSecret('claims', { encryptionKey: key }),
    })
    phi(aurora)
    aurora.secret.addRotationSchedule('Rotation', {
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({ vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
      automaticallyAfter: cdk.Duration.days(30),
    })
    db.secret.addRotationSchedule('Rotation', {
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({ vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
      automaticallyAfter: cdk.Duration.days(30),
    })

    // Clients that mount without TLS are refused.
    const tlsOnly = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['elasticfilesystem:*'],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ],
    })
    const files = new efs.FileSystem(this, 'Files', { vpc, encrypted: true, kmsKey: key, enableAutomaticBackups: true, fileSystemPolicy: tlsOnly })
    phi(files)

    const orders = new sqs.Queue(this, 'Orders', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true })
    phi(orders)
    const alerts = new sns.Topic(this, 'Alerts', { masterKey: key, enforceSSL: true })
    phi(alerts)

    new ec2.Volume(this, 'Scratch', { availabilityZone: 'us-east-1a', size: cdk.Size.gibibytes(10), encrypted: true, encryptionKey: key })

    const web = new ec2.SecurityGroup(this, 'Web', { vpc, description: 'HTTPS from the VPC', allowAllOutbound: false })
    web.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443))

    const trailLogs = new s3.Bucket(this, 'TrailLogs', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      enforceSSL: true,
      serverAccessLogsBucket: logs3,
      serverAccessLogsPrefix: 'trail/',
    })
    cdk.Tags.of(trailLogs).add(PHI.key, 'logs')
    const trailGroup = new logs.LogGroup(this, 'TrailGroup', { retention: logs.RetentionDays.TWO_YEARS, encryptionKey: key })
    cdk.Tags.of(trailGroup).add(PHI.key, 'logs')
    const trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: trailLogs,
      encryptionKey: key,
      isMultiRegionTrail: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: trailGroup,
    })
    trail.addS3EventSelector([{ bucket: records }])

    const secret = new secretsmanager.Secret(this, 'ApiKey', { encryptionKey: key })
    cdk.Tags.of(secret).add(PHI.key, 'credential')
    secret.addRotationSchedule('Rotation', {
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser(),
      automaticallyAfter: cdk.Duration.days(30),
    })

    const vault = new backup.BackupVault(this, 'Vault', { encryptionKey: key, lockConfiguration: { minRetention: cdk.Duration.days(35) } })
    const dr = backup.BackupVault.fromBackupVaultArn(this, 'DrVault', 'arn:aws:backup:us-west-2:111122223333:backup-vault:dr')
    const plan = new backup.BackupPlan(this, 'Plan', { backupVault: vault })
    plan.addRule(new backup.BackupPlanRule({
      ruleName: 'daily',
      scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
      deleteAfter: cdk.Duration.days(35),
      copyActions: [{ destinationBackupVault: dr, deleteAfter: cdk.Duration.days(35) }],
    }))
    plan.addSelection('Daily', { resources: [backup.BackupResource.fromTag('backup', 'daily')] })
  }
}

/// A nested stack holding a table; the parent passes its key as a parameter.
class Tables extends cdk.NestedStack {
  constructor(scope, id, props) {
    super(scope, id, props)
    const table = new dynamodb.Table(this, 'Claims', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
    })
    phi(table)
  }
}

class NonCompliant extends cdk.Stack {
  constructor(scope, id) {
    super(scope, id, { synthesizer: synthesizer() })
    const stale = new kms.Key(this, 'StaleKey', { enableKeyRotation: false })
    stale.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:*'], resources: ['*'] }))
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] })

    const open = new s3.Bucket(this, 'OpenRecords', {
      publicReadAccess: true,
      blockPublicAccess: new s3.BlockPublicAccess({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false }),
    })
    phi(open)
    new s3.Bucket(this, 'AclBucket', {
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      accessControl: s3.BucketAccessControl.PUBLIC_READ,
      blockPublicAccess: new s3.BlockPublicAccess({ blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: true }),
    })

    const sessions = new dynamodb.Table(this, 'Sessions', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    })
    phi(sessions)
    new Tables(this, 'Tables', { key: stale })

    new rds.DatabaseInstance(this, 'Legacy', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      storageEncrypted: false,
      backupRetention: cdk.Duration.days(0),
      autoMinorVersionUpgrade: false,
      parameters: { 'rds.force_ssl': '0' },
    })
    new rds.DatabaseCluster(this, 'Reports', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      writer: rds.ClusterInstance.provisioned('Writer', { publiclyAccessible: true, autoMinorVersionUpgrade: false }),
      storageEncrypted: false,
      deletionProtection: false,
      parameters: { 'rds.force_ssl': '0' },
    })

    new efs.FileSystem(this, 'Shared', { vpc, encrypted: false, enableAutomaticBackups: false })
    phi(new sqs.Queue(this, 'Backlog', { encryption: sqs.QueueEncryption.UNENCRYPTED }))
    phi(new sns.Topic(this, 'Loud'))
    new ec2.Volume(this, 'Plain', { availabilityZone: 'us-east-1a', size: cdk.Size.gibibytes(10), encrypted: false })

    const admin = new ec2.SecurityGroup(this, 'Admin', { vpc, description: 'admin ports from anywhere' })
    admin.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22))
    admin.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(3389))
    admin.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(5432))
    const wide = new ec2.SecurityGroup(this, 'Wide', { vpc, description: 'everything' })
    wide.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic())

    const acl = new ec2.NetworkAcl(this, 'Acl', { vpc })
    acl.addEntry('Ssh', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPort(22), direction: ec2.TrafficDirection.INGRESS })

    const bastion = new ec2.Instance(this, 'Bastion', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    })
    phi(bastion)

    new logs.LogGroup(this, 'AppLogs', { retention: logs.RetentionDays.INFINITE })

    new cloudtrail.Trail(this, 'Trail', { isMultiRegionTrail: false, enableFileValidation: false, sendToCloudWatchLogs: false })

    const secret = new secretsmanager.Secret(this, 'Token')
    secret.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }))

    const vault = new backup.BackupVault(this, 'Vault', {})
    const plan = new backup.BackupPlan(this, 'Plan', { backupVault: vault })
    plan.addRule(new backup.BackupPlanRule({ ruleName: 'weekly', scheduleExpression: events.Schedule.cron({ weekDay: 'SUN', hour: '5', minute: '0' }), deleteAfter: cdk.Duration.days(3) }))
    plan.addSelection('Scratch', { resources: [backup.BackupResource.fromTag('backup', 'yes')] })
  }
}

/// Resources whose compliance-relevant properties moto's CloudFormation applies.
class Live extends cdk.Stack {
  constructor(scope, id) {
    super(scope, id, { synthesizer: synthesizer() })
    const rotated = new kms.Key(this, 'Rotated', { enableKeyRotation: true, removalPolicy: cdk.RemovalPolicy.DESTROY })
    new kms.Key(this, 'Unrotated', { enableKeyRotation: false, removalPolicy: cdk.RemovalPolicy.DESTROY })
    new s3.Bucket(this, 'Sealed', { encryption: s3.BucketEncryption.KMS, encryptionKey: rotated })
    new s3.Bucket(this, 'S3Managed', { encryption: s3.BucketEncryption.S3_MANAGED })
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] })
    const ssh = new ec2.SecurityGroup(this, 'Ssh', { vpc, description: 'ssh from anywhere' })
    ssh.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22))
    const https = new ec2.SecurityGroup(this, 'Https', { vpc, description: 'https from the vpc' })
    https.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443))
    new logs.LogGroup(this, 'Kept', { retention: logs.RetentionDays.TWO_YEARS, removalPolicy: cdk.RemovalPolicy.DESTROY })
    new logs.LogGroup(this, 'Short', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: cdk.RemovalPolicy.DESTROY })
    new secretsmanager.Secret(this, 'WithKey', { encryptionKey: rotated })
    new secretsmanager.Secret(this, 'DefaultKey')
  }
}

/// The apps, by fixture name.
export const APPS = {
  'phi-app': (app) => {
    new Compliant(app, 'Compliant')
    new NonCompliant(app, 'NonCompliant')
  },
  live: (app) => {
    new Live(app, 'Live')
  },
}

/// Synthesize one app into `outdir`; returns the cloud assembly.
export function synth(name, outdir) {
  // The CDK CLI records where each asset (a nested stack's template) is written; do the same.
  const context = {
    'aws:cdk:disable-version-reporting': true,
    'aws:cdk:enable-asset-metadata': true,
  }
  const app = new cdk.App({ outdir, analyticsReporting: false, context })
  APPS[name](app)
  // The fixtures are non-compliant on purpose: CDK's own validation warnings about them (it
  // always runs its default rules) are not this test's output.
  const saved = [console.log, console.warn, console.error, process.stdout.write, process.stderr.write]
  const quiet = () => true
  console.log = console.warn = console.error = quiet
  process.stdout.write = process.stderr.write = quiet
  try {
    return app.synth()
  } finally {
    ;[console.log, console.warn, console.error, process.stdout.write, process.stderr.write] = saved
  }
}
