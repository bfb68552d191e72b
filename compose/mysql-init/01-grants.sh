#!/bin/bash
# Run once by the MySQL image when the data volume is new: the registry mirror reads the binlog (Debezium) with the
# StarDust user, which needs replication rights on top of the database the image already granted it.
set -euo pipefail
mysql -uroot -p"${MYSQL_ROOT_PASSWORD}" <<SQL
GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '${MYSQL_USER}'@'%';
SQL
