# Launch the platform team's self-managed nodes (Dockyard's stand-in for
# their Auto Scaling group with the EKS-optimized AMI's bootstrap script).
dockyard launch-self-managed-nodes --cluster jobs --name platform-asg --instance-type m5.large --count 2 --node-role arn:aws:iam::111122223333:role/platform-node
sleep 120
# They boot but stay NotReady: no access entry lets their role join.
aws eks list-access-entries --cluster-name jobs
# An EC2_LINUX access entry for the node role lets their kubelets in.
aws eks create-access-entry --cluster-name jobs --principal-arn arn:aws:iam::111122223333:role/platform-node --type EC2_LINUX
