# Queues, topics, data streams and Firehose streams: encryption, inline and separate policies
# tied by reference, a queue policy whose queue is chosen by `count`, a stream read by Firehose.
resource "aws_kms_key" "messages" {
  enable_key_rotation = true
}

resource "aws_sqs_queue" "orders" {
  name              = "hipaa-fixture-orders"
  kms_master_key_id = aws_kms_key.messages.arn
}

resource "aws_sqs_queue" "scratch" {
  name                    = "hipaa-fixture-scratch"
  sqs_managed_sse_enabled = false
}

resource "aws_sqs_queue" "inline" {
  name = "hipaa-fixture-inline"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "sqs:SendMessage"
      Resource  = "*"
    }]
  })
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "sqs:*"
      Resource  = "*"
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_sns_topic" "alerts" {
  name              = "hipaa-fixture-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic" "plain" {
  name = "hipaa-fixture-plain"
}

resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "sns:Publish"
      Resource  = "*"
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_kinesis_stream" "events" {
  name            = "hipaa-fixture-events"
  shard_count     = 1
  encryption_type = "KMS"
  kms_key_id      = "alias/aws/kinesis"
}

resource "aws_kinesis_stream" "raw" {
  name        = "hipaa-fixture-raw"
  shard_count = 1
}

resource "aws_kinesis_firehose_delivery_stream" "from_events" {
  name        = "hipaa-fixture-from-events"
  destination = "extended_s3"
  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.events.arn
    role_arn           = "arn:aws:iam::111122223333:role/firehose"
  }
  extended_s3_configuration {
    bucket_arn = "arn:aws:s3:::archive"
    role_arn   = "arn:aws:iam::111122223333:role/firehose"
  }
}

resource "aws_kinesis_firehose_delivery_stream" "direct" {
  name        = "hipaa-fixture-direct"
  destination = "extended_s3"
  server_side_encryption {
    enabled  = true
    key_type = "CUSTOMER_MANAGED_CMK"
    key_arn  = aws_kms_key.messages.arn
  }
  extended_s3_configuration {
    bucket_arn = "arn:aws:s3:::archive"
    role_arn   = "arn:aws:iam::111122223333:role/firehose"
  }
}

resource "aws_kinesis_firehose_delivery_stream" "unencrypted" {
  name        = "hipaa-fixture-unencrypted"
  destination = "extended_s3"
  extended_s3_configuration {
    bucket_arn = "arn:aws:s3:::archive"
    role_arn   = "arn:aws:iam::111122223333:role/firehose"
  }
}

resource "aws_secretsmanager_secret" "token" {
  name       = "hipaa-fixture-token"
  kms_key_id = aws_kms_key.messages.arn
}

resource "aws_secretsmanager_secret_rotation" "token" {
  secret_id           = aws_secretsmanager_secret.token.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate"
  rotation_rules {
    automatically_after_days = 30
  }
}
