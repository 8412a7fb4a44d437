# Linkage case: `count` and `for_each` instances, each paired with its own configuration by
# index or key.
locals {
  stores = {
    claims  = "Enabled"
    imaging = "Suspended"
  }
}

resource "aws_s3_bucket" "store" {
  for_each = local.stores
  bucket   = "hipaa-fixture-${each.key}"
}

resource "aws_s3_bucket_versioning" "store" {
  for_each = local.stores
  bucket   = aws_s3_bucket.store[each.key].id
  versioning_configuration {
    status = each.value
  }
}

resource "aws_dynamodb_table" "shard" {
  count        = 2
  name         = "hipaa-fixture-shard-${count.index}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = count.index == 0
  }
}

resource "aws_kms_key" "shard" {
  count               = 2
  description         = "shard ${count.index}"
  enable_key_rotation = count.index == 1
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_volume" "scratch" {
  count             = 2
  availability_zone = "us-east-1a"
  size              = 10
}
