# Unknown-until-apply case: values that depend on attributes Terraform computes at apply, and a
# policy built by a data source that can only be read at apply.
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_security_group" "db" {
  name        = "hipaa-fixture-db"
  description = "database access from the VPC"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_kms_key" "logs" {
  description = "logs"
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/hipaa-fixture/open"
  retention_in_days = length(aws_kms_key.logs.key_id) > 0 ? 365 : 1
}

resource "aws_s3_bucket" "reports" {
  bucket = "hipaa-fixture-reports"
}

data "aws_iam_policy_document" "reports" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["${aws_s3_bucket.reports.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = data.aws_iam_policy_document.reports.json
}

resource "aws_secretsmanager_secret" "api" {
  name       = "hipaa-fixture/api"
  kms_key_id = aws_kms_key.logs.arn
}

# The office address is allocated at apply: what the rule admits is unknown until then.
resource "aws_eip" "office" {
  domain = "vpc"
}

resource "aws_security_group" "office" {
  name        = "hipaa-fixture-office"
  description = "SSH from the office address"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["${aws_eip.office.public_ip}/32"]
  }
}

resource "aws_ebs_volume" "cache" {
  availability_zone = "us-east-1a"
  size              = 10
  encrypted         = length(aws_kms_key.logs.key_id) > 0
}
