import 'cdktf/lib/testing/adapters/jest';
import { Testing } from '../../infra/cdktf';

Testing.setupJest();
