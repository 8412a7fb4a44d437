variable "name" {
  type = string
}

resource "aws_kms_key" "phi" {
  description         = "PHI key"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "records" {
  bucket = var.name
  tags   = { DataClass = "PHI" }
}

resource "aws_s3_bucket" "logs" {
  bucket = "${var.name}-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.phi.arn
    }
  }
}

resource "aws_s3_bucket_versioning" "records" {
  bucket = aws_s3_bucket.records.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "records" {
  bucket                  = aws_s3_bucket.records.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_logging" "records" {
  bucket        = aws_s3_bucket.records.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "records/"
}

resource "aws_s3_bucket_policy" "records" {
  bucket = aws_s3_bucket.records.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::${var.name}", "arn:aws:s3:::${var.name}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_object_lock_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 30
    }
  }
}

resource "aws_cloudwatch_log_group" "audit" {
  name              = "/hipaa-fixture/audit"
  retention_in_days = 400
  kms_key_id        = aws_kms_key.phi.arn
}

resource "aws_dynamodb_table" "patients" {
  name         = "hipaa-fixture-patients"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  tags = { DataClass = "PHI" }
}

resource "aws_db_instance" "phi" {
  identifier              = "hipaa-fixture-phi"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  username                = "app"
  password                = "not-a-real-password-1"
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.phi.arn
  backup_retention_period = 14
  skip_final_snapshot     = true
  tags                    = { DataClass = "PHI" }
}

resource "aws_efs_file_system" "shared" {
  encrypted  = true
  kms_key_id = aws_kms_key.phi.arn
  tags       = { Name = "shared", DataClass = "PHI" }
}

resource "aws_efs_backup_policy" "shared" {
  file_system_id = aws_efs_file_system.shared.id
  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_secretsmanager_secret" "db" {
  name       = "hipaa-fixture/db"
  kms_key_id = aws_kms_key.phi.arn
}

resource "aws_lambda_function" "rotate" {
  function_name = "hipaa-fixture-rotate"
  role          = "arn:aws:iam::123456789012:role/rotate"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "rotate.zip"
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate.arn
  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_backup_vault" "phi" {
  name        = "hipaa-fixture-vault"
  kms_key_arn = aws_kms_key.phi.arn
}

resource "aws_backup_vault_lock_configuration" "phi" {
  backup_vault_name  = aws_backup_vault.phi.name
  min_retention_days = 30
}

resource "aws_backup_plan" "phi" {
  name = "hipaa-fixture-plan"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.phi.name
    schedule          = "cron(0 5 * * ? *)"
    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "phi" {
  name         = "phi-tagged"
  plan_id      = aws_backup_plan.phi.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "DataClass"
    value = "PHI"
  }
}
