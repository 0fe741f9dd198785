# Golden output of kubectl against the EKS model, on the start of the
# lesson "Run a service on Fargate" (no EKS cluster yet), with the
# manifests of tests/manifests as the learner's files. Regenerate with
# UPDATE_GOLDEN=1 cargo test -p dockyard-terminal --test golden
kubectl get pods
aws eks create-cluster --name shop --role-arn arn:aws:iam::111122223333:role/eksClusterRole --resources-vpc-config subnetIds=subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404
kubectl version
kubectl get nodes
aws eks create-nodegroup --cluster-name shop --nodegroup-name workers --scaling-config minSize=2,maxSize=4,desiredSize=2 --instance-types m5.large --node-role arn:aws:iam::111122223333:role/eksNodeRole --subnets subnet-05ff4ad5d7f52e50c subnet-0783ecb10f1b8e404
kubectl get nodes
sleep 300
kubectl get nodes
kubectl get nodes -o wide
kubectl get nodes -L topology.kubernetes.io/zone,eks.amazonaws.com/capacityType
kubectl taint nodes ip-10-0-0-6.ec2.internal dedicated=gpu:NoSchedule
kubectl taint nodes ip-10-0-0-6.ec2.internal dedicated=gpu:NoSchedule
kubectl taint nodes ip-10-0-0-6.ec2.internal dedicated:NoSchedule-
kubectl apply -f nginx-deployment.yaml
kubectl apply -f nginx-deployment.yaml
kubectl create -f nginx-deployment.yaml
kubectl get deployments
kubectl rollout status deployment/nginx-deployment
kubectl get pods -o wide
kubectl get pods -l app=nginx --show-labels
kubectl apply -f nginx-pdb.yaml
kubectl get pdb
kubectl get pdb nginx-pdb -o yaml
kubectl delete -f nginx-pdb.yaml
kubectl delete pod ghost
kubectl run debug --image=public.ecr.aws/docker/library/busybox:1.36
kubectl apply -f simple-pod.yaml
kubectl get pods debug nginx -o wide
kubectl describe pod nginx
kubectl delete pod debug
kubectl delete -f simple-pod.yaml
kubectl get pods -l app=web
kubectl get deploy nginx-deployment -o yaml
kubectl scale deployment nginx-deployment --replicas=20
kubectl get pods
kubectl describe pod nginx-deployment-00020
kubectl get events
kubectl get events --field-selector involvedObject.kind=Deployment
kubectl apply -f big-requests.yaml
kubectl get pods -l app=batch
kubectl describe pod batch-00024
kubectl describe node ip-10-0-0-6.ec2.internal
kubectl apply -f mismatched-labels.yaml
kubectl scale deployment nginx-deployment --replicas=2
kubectl apply -f php-apache.yaml
kubectl get hpa
kubectl describe hpa php-apache
kubectl create deployment web --image=public.ecr.aws/nginx/nginx:1.27 --replicas=2
kubectl create namespace shop
kubectl create namespace shop
kubectl get ns
kubectl apply -f eks-sample-app.yaml
kubectl apply -f eks-sample-app.yaml -n default
kubectl get deployments -A
kubectl apply -f fluentd-daemonset.yaml
kubectl rollout status daemonset/fluentd-elasticsearch -n kube-system
kubectl get ds -A -o wide
kubectl get pods -n kube-system -o wide
kubectl scale ds fluentd-elasticsearch -n kube-system --replicas=3
kubectl delete -f fluentd-daemonset.yaml
kubectl get all
kubectl get deploy,hpa -A
kubectl describe deployment web
aws eks create-fargate-profile --cluster-name shop --fargate-profile-name web-profile --pod-execution-role-arn arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole --selectors namespace=default,labels={app=web}
kubectl get pods -l app=web -o wide
kubectl rollout restart deployment/web
kubectl rollout status deployment web
kubectl get pods -l app=web -o wide
kubectl get nodes
kubectl get pods -l app=web -o name
kubectl describe pod web-00031
kubectl get pods -w -l app=web
kubectl delete deployment web
kubectl delete -f php-apache.yaml
kubectl get deployment ghost
kubectl get pvc
kubectl apply -f ebs-dynamic.yaml
kubectl get pvc
kubectl get pv
kubectl get storageclass
kubectl describe pvc ebs-claim
kubectl apply -f efs-static.yaml
kubectl get pv
kubectl get pvc
kubectl apply -f ebs-in-another-zone.yaml
kubectl describe pod db-00034
kubectl describe pv db-volume
kubectl describe pvc db-data
kubectl delete pvc db-data
kubectl delete deployment db
kubectl delete pvc db-data
kubectl get pv db-volume
kubectl get widgets
kubectl top pods
kubectl top nodes
kubectl top
kubectl rollout undo deployment/web
kubectl apply
kubectl frobnicate
