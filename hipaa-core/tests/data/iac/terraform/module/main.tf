# Linkage case: resources in a child module (`module.phi.…`), tied to their bucket by reference.
module "phi" {
  source = "./modules/phi"
  name   = "hipaa-fixture-records"
}

# Non-compliant: no versioning, no logging, no policy, no Block Public Access, SSE-S3 only.
resource "aws_s3_bucket" "scratch" {
  bucket = "hipaa-fixture-scratch"
}

resource "aws_s3_bucket_acl" "scratch" {
  bucket = aws_s3_bucket.scratch.id
  acl    = "public-read"
}

resource "aws_kms_key" "unrotated" {
  description = "rotation off"
}

resource "aws_cloudwatch_log_group" "app" {
  name = "/hipaa-fixture/app"
}

resource "aws_dynamodb_table" "sessions" {
  name         = "hipaa-fixture-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  tags = { DataClass = "PHI" }
}

resource "aws_db_instance" "legacy" {
  identifier          = "hipaa-fixture-legacy"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "app"
  password            = "not-a-real-password-1"
  skip_final_snapshot = true
  tags                = { DataClass = "PHI" }
}

resource "aws_security_group" "ssh" {
  name        = "hipaa-fixture-ssh"
  description = "SSH from anywhere"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "app" {
  name        = "hipaa-fixture-app"
  description = "rules as separate resources"
}

resource "aws_vpc_security_group_ingress_rule" "app_rdp" {
  security_group_id = aws_security_group.app.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group_rule" "app_https" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.0.0.0/8"]
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 10
}
