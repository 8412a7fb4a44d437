# TLS enforcement on databases and file systems: a parameter group tied to its instance by
# reference, an engine default group, a cluster parameter group, and EFS file-system policies
# tied by reference and by `for_each` key.
resource "aws_db_parameter_group" "pg_tls" {
  name   = "hipaa-fixture-pg-tls"
  family = "postgres14"
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "forced" {
  identifier                  = "hipaa-fixture-forced"
  engine                      = "postgres"
  engine_version              = "14.10"
  instance_class              = "db.t3.micro"
  allocated_storage           = 20
  storage_encrypted           = true
  parameter_group_name        = aws_db_parameter_group.pg_tls.name
  username                    = "app"
  manage_master_user_password = true
}

resource "aws_db_instance" "mysql_default" {
  identifier                  = "hipaa-fixture-mysql"
  engine                      = "mysql"
  engine_version              = "8.0.35"
  instance_class              = "db.t3.micro"
  allocated_storage           = 20
  storage_encrypted           = true
  username                    = "app"
  manage_master_user_password = true
}

resource "aws_rds_cluster_parameter_group" "aurora_loose" {
  name   = "hipaa-fixture-aurora-loose"
  family = "aurora-mysql8.0"
  parameter {
    name  = "require_secure_transport"
    value = "OFF"
  }
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier              = "hipaa-fixture-aurora"
  engine                          = "aurora-mysql"
  engine_version                  = "8.0.mysql_aurora.3.05.2"
  storage_encrypted               = true
  master_username                 = "app"
  manage_master_user_password     = true
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.aurora_loose.name
}

resource "aws_efs_file_system" "shared" {
  for_each  = toset(["records", "scratch"])
  encrypted = true
}

resource "aws_efs_file_system_policy" "shared" {
  for_each       = { records = true }
  file_system_id = aws_efs_file_system.shared[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "*"
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
