import mongoose from 'mongoose'

// DB_URI comes from the environment (dotenv in development)
export const connectDB = async () => {
  await mongoose.connect(process.env.DB_URI ?? 'mongodb://127.0.0.1:27017/showcase-fixture')
}
